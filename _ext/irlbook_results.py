"""Sphinx glue for the book: directives that render ``results/`` into the book at build time.

``{reproductions-table}``: every paper claim recorded by ``irlbook.book.records.save_result``
(its ``reproduces`` list) beside the measured number, profile, device and date.
``{benchmark-report}``: every ``results/benchmark_*.json`` record and the plots in ``benchmarks/``.
Nothing is typed in by hand; with no records the directives say so.
"""

from __future__ import annotations

import json
from pathlib import Path

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.util.docutils import SphinxDirective

ROOT = Path(__file__).resolve().parent.parent


def _cell(value) -> str:
    if isinstance(value, float):
        value = f"{value:.4g}"
    elif isinstance(value, (dict, list)):
        value = json.dumps(value, sort_keys=True)
    return str(value).replace("|", "\\|").replace("\n", " ")


class _ResultsDirective(SphinxDirective):
    def _records(self, pattern: str) -> list[dict]:
        if not hasattr(self.env, "irlbook_results_docs"):
            self.env.irlbook_results_docs = set()
        self.env.irlbook_results_docs.add(self.env.docname)
        records = []
        for path in sorted((ROOT / "results").glob(pattern)):
            if path.name == "index.json":   # the index of the records, not a record
                continue
            self.env.note_dependency(str(path))
            records.append(json.loads(path.read_text()))
        return records

    def _render(self, lines: list[str]) -> list[nodes.Node]:
        container = nodes.container(classes=["irlbook-results"])
        self.state.nested_parse(StringList(lines, source="results"), self.content_offset, container)
        return [container]


class ReproductionsTable(_ResultsDirective):
    def run(self):
        rows = []
        for record in self._records("*.json"):
            provenance = record.get("provenance", {})
            for claim in record.get("reproduces") or []:
                rows.append([
                    claim.get("paper", ""), claim.get("quantity", ""), claim.get("paper_value", ""),
                    claim.get("measured", ""), provenance.get("profile", ""), provenance.get("device", ""),
                    str(provenance.get("date", ""))[:10], f"`results/{record.get('name', '')}.json`"
                    + (f" (superseded by `{record['superseded_by']}`)" if record.get("superseded_by") else ""),
                ])
        if not rows:
            return self._render([
                "**No reproduction has been recorded yet.** No file in `results/` lists a paper claim; "
                "a notebook run with `IRLBOOK_PROFILE=full` records one."
            ])
        lines = [
            "| Paper | Quantity | Paper's value | Measured | Profile | Device | Date | Record |",
            "|---|---|---|---|---|---|---|---|",
        ]
        lines += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in rows]
        return self._render(lines)


class BenchmarkReport(_ResultsDirective):
    def run(self):
        lines: list[str] = []
        records = self._records("benchmark_*.json")
        if not records:
            lines.append(
                "**No benchmark has been recorded yet.** `make bench` measures them; "
                "their records appear here on the next build."
            )
        for record in records:
            provenance = record.get("provenance", {})
            lines += [
                f"**{_cell(record.get('name', ''))}**: {_cell(provenance.get('device', 'unknown device'))}, "
                f"{str(provenance.get('date', ''))[:10]}, command `{_cell(provenance.get('command', ''))}`",
                "",
                "| Quantity | Value |",
                "|---|---|",
            ]
            lines += [f"| {_cell(k)} | {_cell(v)} |" for k, v in sorted(record.get("values", {}).items())]
            lines.append("")
        for png in sorted((ROOT / "benchmarks").glob("*.png")):
            lines += [f"![Benchmark plot {png.stem}](/benchmarks/{png.name})", ""]
        return self._render(lines)


def _always_reread(app, env, added, changed, removed):
    # results/ may gain files between builds: re-read the pages that render it every time.
    return sorted(getattr(env, "irlbook_results_docs", set()) - set(removed))


def _dedupe_scripts(app, pagename, templatename, context, doctree):
    # sphinx-thebe's inline configuration script ends up twice in Jupyter Book 1 pages, which
    # redeclares a `const` and raises a JavaScript error on every page: keep each script once.
    scripts = context.get("script_files")
    if not scripts:
        return
    seen, unique = set(), []
    for script in scripts:
        attributes = getattr(script, "attributes", {})
        key = (str(getattr(script, "filename", script) or ""), attributes.get("body"))
        if key not in seen:
            seen.add(key)
            unique.append(script)
    context["script_files"] = unique


def setup(app):
    app.connect("env-get-outdated", _always_reread)
    app.connect("html-page-context", _dedupe_scripts, priority=900)
    app.add_directive("reproductions-table", ReproductionsTable)
    app.add_directive("benchmark-report", BenchmarkReport)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "0.1"}
