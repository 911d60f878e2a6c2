"""Sphinx glue for the book: directives that render ``results/`` into the book at build time.

``{reproductions-table}``: one row per paper claim (the ``reproduces`` list of every record in
``results/``, schema in :mod:`irlbook.book.records`), grouped by chapter: the paper as a citation,
the quantity, the paper's value, ours (mean ± std over seeds and their number, computed here from the
record's values by :func:`irlbook.book.records.measure_claim`), the two scales, the verdict with its
reason, and the record. A record that ``results/index.json`` marks superseded is left out. A stored
verdict that the numbers do not give is a build error.

``{benchmark-report}``: per ``results/benchmark_*.json`` record, a table of its cases (size, the
peer's time, ours, their ratio, the largest difference from the peer), its growth exponents and
floor, its plots (``values.figures``: PNGs under ``results/figures/``), and one caption line with the
machine, versions, date and command. Records in the earlier layouts (``values.forward_backward`` and
``values.fit``; a flat dict of scalars) are rendered in the same form.

The records are linked with Sphinx's ``{download}`` role and the plots are ``{figure}`` directives,
so both are copied into the build (``_downloads/``, ``_images/``) although ``results/`` is not a
source folder: the links and images work offline, and show the records the page was built from.
Nothing is typed in by hand; with no records the directives say so.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.util.docutils import SphinxDirective

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "results"
STATIC = Path(__file__).resolve().parent / "static" / "results"
CSS = "irlbook-results.css"


# ----------------------------------------------------------------------------- formatting
def _text(value) -> str:
    """Plain text safe inside a MyST table cell (no line breaks, no pipes)."""
    return str(value).replace("|", "\\|").replace("\n", " ").strip()


def _number(value, spec: str = ".3g") -> str:
    """A number for the reader: ``spec`` digits, a true minus sign, no 17-digit floats."""
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        text = f"{value:,}" if abs(value) >= 10_000 else str(value)
    elif isinstance(value, float):
        if not math.isfinite(value):
            return str(value)
        text = format(value, spec)
    else:
        return _text(value)
    return text.replace("-", "\N{MINUS SIGN}")


def _seconds(value) -> str:
    if value is None:
        return "–"
    value = float(value)
    if value < 1e-3:
        return f"{value * 1e6:.3g} µs"
    if value < 1:
        return f"{value * 1e3:.3g} ms"
    return f"{value:.3g} s"


def _short_device(device: str) -> str:
    return device.replace("cpu: ", "CPU ").replace("cuda: ", "GPU ")


def _read(path: Path) -> dict:
    return json.loads(path.read_text())


def _superseded(env) -> set[str]:
    """Names of the records that ``results/index.json`` (else the records themselves) mark superseded."""
    index = RESULTS / "index.json"
    if index.is_file():
        env.note_dependency(str(index))
        entries = _read(index).get("records", [])
        return {e["name"] for e in entries if e.get("superseded_by")}
    return set()


class _ResultsDirective(SphinxDirective):
    def _records(self, pattern: str) -> list[dict]:
        if not hasattr(self.env, "irlbook_results_docs"):
            self.env.irlbook_results_docs = set()
        self.env.irlbook_results_docs.add(self.env.docname)
        records = []
        for path in sorted(RESULTS.glob(pattern)):
            if path.name == "index.json":   # the index of the records, not a record
                continue
            self.env.note_dependency(str(path))
            record = _read(path)
            record.setdefault("name", path.stem)
            records.append(record)
        return records

    def _parse(self, lines: list[str], classes: list[str]) -> nodes.container:
        container = nodes.container(classes=classes)
        self.state.nested_parse(StringList(lines, source="results"), self.content_offset, container)
        for table in container.findall(nodes.table):
            _label_cells(table)
        return container


def _label_cells(table: nodes.table) -> None:
    """Put each column's header, hidden on wide screens, at the start of its cells, so that the
    stylesheet can stack a row into a labelled card on a phone instead of squeezing the columns."""
    table["classes"].append("irlbook-stack")
    headers = [[entry.astext() for entry in row.findall(nodes.entry)] for row in table.findall(nodes.row)
               if isinstance(row.parent, nodes.thead)]
    if not headers:
        return
    for tbody in table.findall(nodes.tbody):
        for row in tbody.findall(nodes.row):
            for entry, header in zip(row.findall(nodes.entry), headers[0], strict=False):
                label = nodes.inline("", header, classes=["irlbook-label"])
                first = entry.children[0] if entry.children else None
                if isinstance(first, nodes.paragraph):
                    first.insert(0, label)
                else:
                    entry.insert(0, nodes.paragraph("", "", label))


# ----------------------------------------------------------------------------- reproductions
#: Columns of the reproductions table: (header, CSS class of its cells).
COLUMNS = [("Paper", "paper"), ("Quantity", "quantity"), ("Paper's value", "paper-value"), ("Ours", "ours"),
           ("Scale", "scale"), ("Verdict", "verdict"), ("Record", "record")]


def _mean_std(mean: float, std: float, spec: str) -> str:
    """``mean ± std`` with both to the decimals that ``spec`` gives the mean (``.3g``: three significant digits)."""
    match = re.fullmatch(r"\.(\d+)g", spec)
    if match and mean != 0 and math.isfinite(mean):
        decimals = max(0, int(match.group(1)) - 1 - math.floor(math.log10(abs(mean))))
        spec = f".{decimals}f"
    return f"{_number(mean, spec)} ± {_number(std, spec)}"


def _ours(summary: dict, spec: str) -> str:
    def one(s):
        if s["n_seeds"] is None:   # a vector computed exactly
            return ", ".join(_number(float(v), spec) for v in s["mean"])
        if s["std"] is None:
            return _number(s["mean"], spec)
        return _mean_std(s["mean"], s["std"], spec)

    text = one(summary)
    if summary["versus"] is not None:
        text += f" vs {one(summary['versus'])}"
    n = summary["n_seeds"]
    return text + (" (exact)" if n is None else f" ({n} seed{'s' if n != 1 else ''})")


def _chapter_heading(env, chapter: str) -> str:
    path = ROOT / "book" / f"{chapter}.md"
    if not path.is_file():
        raise ValueError(f"chapter {chapter!r} names no file book/{chapter}.md")
    title = next((line[2:].strip() for line in path.read_text().splitlines() if line.startswith("# ")), chapter)
    number = re.match(r"(\d+)", chapter)
    if number:
        title = f"Chapter {int(number.group(1))}: {title}"
    docname = f"book/{chapter}"
    if docname in env.found_docs:
        return f"{{doc}}`{_text(title)} </{docname}>`"
    return _text(title)   # a build of some pages only: the chapter has no page to link to


class ReproductionsTable(_ResultsDirective):
    def run(self):
        from irlbook.book.records import check_claim, claim_verdict, fill_scale, measure_claim

        records = self._records("*.json")
        by_name = {r["name"]: r for r in records}
        hidden = _superseded(self.env) | {r["name"] for r in records if r.get("superseded_by")}
        groups: dict[str, list[list[str]]] = {}
        for record in records:
            if record["name"] in hidden:
                continue
            provenance = record.get("provenance", {})
            for claim in record.get("reproduces") or []:
                where = f"results/{record['name']}.json: claim {claim.get('quantity', '?')!r}"
                try:
                    check_claim(claim)
                    summary = measure_claim(record, claim, by_name)
                    verdict = claim_verdict(claim, summary)
                    if verdict != claim["verdict"]:
                        raise ValueError(f"stored verdict {claim['verdict']!r}, but the numbers give {verdict!r}")
                    ours = _ours(summary, claim["measured"].get("format", ".3g"))
                    scale_ours = fill_scale(record, claim["scale"]["ours"])
                    heading = _chapter_heading(self.env, claim["chapter"])
                except (ValueError, KeyError, TypeError) as error:
                    raise self.error(f"{where}: {error}") from error
                for name in summary["records"][1:]:
                    self.env.note_dependency(str(RESULTS / f"{name}.json"))
                links = ", ".join(f"{{download}}`{name}.json </results/{name}.json>`" for name in summary["records"])
                date = str(provenance.get("date", ""))[:10]
                groups.setdefault((claim["chapter"], heading), []).append([
                    f"{{cite:t}}`{claim['paper']}`",
                    _text(claim["quantity"]),
                    _text(claim["paper_value"]["text"]),
                    ours,
                    f"ours: {_text(scale_ours)}\n\n    paper: {_text(claim['scale']['paper'])}",
                    f"**{claim['verdict']}**\n\n    {_text(claim['reason'])}",
                    f"{links}\n\n    {_text(provenance.get('profile', '?'))} profile, "
                    f"{_text(_short_device(provenance.get('device', '?')))}, {date}",
                ])
        if not groups:
            return [self._parse([
                "**No reproduction has been recorded yet.** No file in `results/` lists a paper claim."
            ], ["irlbook-results"])]
        lines: list[str] = []
        for (_, heading), rows in sorted(groups.items()):
            lines += [f"**{heading}**", "", "```{list-table}", ":header-rows: 1", ":class: irlbook-repro", ""]
            lines.append("* - " + "\n  - ".join(header for header, _ in COLUMNS))
            for row in rows:
                lines += ("* - " + "\n  - ".join(row)).split("\n")
            lines += ["```", ""]
        container = self._parse(lines, ["irlbook-results", "irlbook-reproductions"])
        for table in container.findall(nodes.table):
            for row in table.findall(nodes.row):
                for entry, (_, css) in zip(row.findall(nodes.entry), COLUMNS, strict=False):
                    entry["classes"].append(f"irlbook-col-{css}")
        return [container]


# ----------------------------------------------------------------------------- benchmarks
#: Optional per-case columns of the benchmark schema: (key, header, formatter).
OPTIONAL_CASE_COLUMNS = [
    ("torch_cpu_seconds", "ours, torch CPU", _seconds),
    ("torch_cuda_seconds", "ours, torch CUDA", _seconds),
    ("peak_memory_mb", "peak memory (MB)", lambda v: _number(v, ".3g")),
    ("floor_seconds", "floor", _seconds),
]


def _legacy_benchmark(values: dict) -> dict:
    """An earlier benchmark record's values in the current layout (see the module docstring)."""
    if "cases" in values:
        return values
    out: dict = {"title": None, "peer": None, "cases": [], "tables": [], "scalars": {}, "figures": []}
    if "forward_backward" in values:
        out["peer"] = f"imitation {values.get('imitation_version', '')}".strip()
        for case in values["forward_backward"]:
            out["cases"].append({
                "case": case.get("case"), "states": case.get("states"), "actions": case.get("actions"),
                "horizon": case.get("horizon"), "sparse": case.get("sparse"),
                "peer_seconds": case.get("imitation_s"), "ours_seconds": case.get("irlbook_s"),
                "ratio": case.get("speedup"), "max_abs_diff": case.get("max_abs_diff"),
                "torch_cpu_seconds": case.get("irlbook_torch_cpu_s"),
            })
        floor = values.get("speed_floor")
        if isinstance(floor, dict):
            out["cases"].append({
                "case": floor.get("case"), "states": floor.get("states"), "actions": floor.get("actions"),
                "horizon": floor.get("horizon"), "sparse": True, "peer_seconds": None,
                "ours_seconds": floor.get("irlbook_s"), "ratio": None, "max_abs_diff": None,
            })
            if floor.get("imitation_dense_bytes"):
                out["scalars"]["dense transition array the peer would need"] = \
                    f"{floor['imitation_dense_bytes'] / 2**30:.3g} GiB"
        fit = values.get("fit")
        if isinstance(fit, dict):
            rows = [["irlbook (L-BFGS)", "–", _number(fit.get("irlbook_iterations")),
                     _number(fit.get("irlbook_gap"), ".2g"), _seconds(fit.get("irlbook_s"))]]
            for run in fit.get("imitation_runs", []):
                rows.append([out["peer"] + " (Adam)", _number(run.get("lr")), _number(run.get("iterations")),
                             _number(run.get("gap"), ".2g"), _seconds(run.get("seconds"))])
            out["tables"].append({
                "caption": "Fitting MaxEnt IRL until the feature gap is below "
                           f"{_number(fit.get('target_gap'), '.2g')}: "
                           f"{_text(fit.get('world', ''))}, {_number(fit.get('n_demos'))} demonstrations, "
                           f"{_text(fit.get('features', ''))} features.",
                "header": ["implementation", "learning rate", "iterations", "final gap", "time"],
                "rows": rows,
            })
        for key in ("timing", "repeats", "omp_num_threads", "gpu"):
            if key in values:
                out["scalars"][key.replace("_", " ")] = values[key]
        return out
    # A flat dict of scalars (the speed floor's first layout).
    if {"n_states", "n_actions", "horizon"} <= set(values):
        out["cases"].append({
            "case": "gridworld planning", "states": values["n_states"], "actions": values["n_actions"],
            "horizon": values["horizon"], "sparse": True, "peer_seconds": None,
            "ours_seconds": values.get("best_seconds"), "ratio": None, "max_abs_diff": None,
        })
        if "median_seconds" in values:
            out["scalars"]["median time (ours)"] = _seconds(values["median_seconds"])
        if "target_seconds" in values:
            out["scalars"]["time the planner must stay under"] = _seconds(values["target_seconds"])
    else:
        out["scalars"] = {k: v for k, v in values.items() if not isinstance(v, (dict, list))}
    return out


#: Floor entries that describe the machine rather than the measurement: shown in the caption line.
MACHINE_KEYS = ("cpu_affinity", "blas_threads", "load_average_1min", "load_average_5min")


def _machine_text(machine: dict) -> str:
    parts = []
    if "cpu_affinity" in machine:
        parts.append(f"CPU affinity {_text(machine['cpu_affinity'])}")
    if "blas_threads" in machine:
        parts.append(f"{_text(machine['blas_threads'])} BLAS thread(s)")
    if "load_average_1min" in machine:
        parts.append(f"load average {_number(machine['load_average_1min'])}")
    return " (" + ", ".join(parts) + ")" if parts else ""


def _floor_row(key: str, value) -> tuple[str, str]:
    """A floor entry as (label, value with its unit)."""
    label = str(key)
    if label.endswith("_seconds"):
        label, text = label[: -len("_seconds")] + "_time", _seconds(value)
    elif label.endswith("_gb_s"):
        label, text = label[: -len("_gb_s")], f"{_number(value)} GB/s"
    elif label.endswith("_ns_per_element"):
        label, text = label[: -len("_ns_per_element")] + "_time_per_element", f"{_number(value)} ns"
    elif label.endswith("_us"):
        label, text = label[: -len("_us")] + "_time", f"{_number(value)} µs"
    elif label.endswith("over_floor") and isinstance(value, (int, float)) and not isinstance(value, bool):
        text = f"{_number(value)}×"
    else:
        text = _scalar(value)
    return _text(label.replace("_", " ")), text


def _caption(record: dict, machine: dict | None = None) -> str:
    provenance = record.get("provenance", {})
    versions = provenance.get("versions", {})
    version_text = ", ".join(f"{k} {v}" for k, v in sorted(versions.items()) if isinstance(v, str))
    return (f"*Measured on {_text(_short_device(provenance.get('device', 'an unknown device')))}"
            f"{_machine_text(machine or {})}, "
            f"{str(provenance.get('date', '?'))[:10]}; {_text(version_text)}; "
            f"command* `{_text(provenance.get('command', '?'))}`; "
            f"*record* {{download}}`{record['name']}.json </results/{record['name']}.json>`")


def _scalar(value) -> str:
    if isinstance(value, float):
        return _number(value)
    if isinstance(value, (list, tuple)):
        return ", ".join(_scalar(v) for v in value)
    return _number(value) if isinstance(value, (int, bool)) else _text(value)


def _figure_lines(path: str, caption: str) -> list[str]:
    rel = path.lstrip("/")
    return ["```{figure} /" + rel, f":alt: {_text(caption)}", ":width: 100%",
            ":class: irlbook-benchmark-figure", "", _text(caption), "```", ""]


def benchmark_lines(record: dict, root: Path = ROOT) -> tuple[list[str], list[Path]]:
    """The MyST of one benchmark record (title, cases table, growth, other tables, floor, caption line,
    plots) and the plot files it shows. Raises ``ValueError`` when a listed plot does not exist."""
    values = _legacy_benchmark(record.get("values", {}))
    name = record.get("name", "benchmark")
    title = values.get("title") or name.replace("benchmark_", "").replace("_", " ").capitalize()
    peer = values.get("peer")
    lines = [f"**{_text(title)}**" + (f" (peer: {_text(peer)})" if peer else ""), ""]
    cases = values.get("cases") or []
    if cases:
        extra = [c for c in OPTIONAL_CASE_COLUMNS if any(case.get(c[0]) is not None for case in cases)]
        header = ["case", "states × actions × horizon", "sparse", "peer", "ours", "peer / ours",
                  "max. difference from the peer"] + [h for _, h, _ in extra]
        lines += ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        for case in cases:
            size = " × ".join(_number(case.get(k)) for k in ("states", "actions", "horizon"))
            ratio = case.get("ratio")
            row = [_text(case.get("case", "")), size, _number(case.get("sparse")),
                   _seconds(case.get("peer_seconds")), _seconds(case.get("ours_seconds")),
                   "–" if ratio is None else f"{_number(ratio)}×", _number(case.get("max_abs_diff"), ".1e")]
            row += [fmt(case.get(key)) for key, _, fmt in extra]
            lines.append("| " + " | ".join(row) + " |")
        lines.append("")
    growth = values.get("growth")
    if isinstance(growth, dict) and growth:
        parts = [f"{_text(kind)}, ours $S^{{{_number(g.get('exponent_ours'), '.2f')}}}$ and the peer's "
                 f"$S^{{{_number(g.get('exponent_peer'), '.2f')}}}$"
                 for kind, g in sorted(growth.items()) if isinstance(g, dict)]
        lines += ["Time against the number of states $S$ (fitted exponent): " + "; ".join(parts) + ".", ""]
    for table in values.get("tables", []):
        lines += ["| " + " | ".join(table["header"]) + " |", "|" + "---|" * len(table["header"])]
        lines += ["| " + " | ".join(row) + " |" for row in table["rows"]]
        lines += ["", table["caption"], ""]
    floor = {k: v for k, v in dict(values.get("floor") or {}, **(values.get("scalars") or {})).items()
             if not isinstance(v, dict)}
    note = floor.pop("note", None)
    machine = {k: floor.pop(k) for k in MACHINE_KEYS if k in floor}
    if floor:
        lines += ["| quantity | value |", "|---|---|"]
        lines += [f"| {label} | {value} |" for label, value in (_floor_row(k, v) for k, v in floor.items())]
        lines.append("")
    if note:
        lines += [_text(note), ""]
    lines += [_caption(record, machine), ""]
    figures = []
    for figure in values.get("figures") or []:
        path, caption = (figure.get("path"), figure.get("caption")) if isinstance(figure, dict) else (figure, None)
        if not path or not (root / path).is_file():
            raise ValueError(f"results/{name}.json lists the figure {path}, which does not exist")
        figures.append(root / path)
        caption = caption or f"{title}: {Path(path).stem.replace('benchmark_', '').replace('_', ' ')}."
        lines += _figure_lines(path, caption)
    return lines, figures


class BenchmarkReport(_ResultsDirective):
    def run(self):
        records = self._records("benchmark_*.json")
        lines: list[str] = []
        if not records:
            lines.append("**No benchmark has been recorded yet.** `make bench` measures them; "
                         "their records appear here on the next build.")
        for record in records:
            try:
                record_lines, figures = benchmark_lines(record)
            except ValueError as error:
                raise self.error(str(error)) from error
            lines += record_lines
            for figure in figures:
                self.env.note_dependency(str(figure))
        return [self._parse(lines, ["irlbook-results", "irlbook-benchmarks"])]


# ----------------------------------------------------------------------------- setup
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


def _static_path(app):
    # The tables' stylesheet (wrapping, a stacked layout on phones) from _ext/static/results/.
    app.config.html_static_path.append(str(STATIC))


def setup(app):
    app.connect("env-get-outdated", _always_reread)
    app.connect("html-page-context", _dedupe_scripts, priority=900)
    app.connect("builder-inited", _static_path)
    app.add_css_file(CSS)
    app.add_directive("reproductions-table", ReproductionsTable)
    app.add_directive("benchmark-report", BenchmarkReport)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "0.2"}

