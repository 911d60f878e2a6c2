"""Sphinx glue: numbers and tables read from ``results/*.json`` when the book is built.

A chapter never types a number that a record holds; it names where the number lives.

Role ``{record}`` — one value, formatted::

    {record}`gcl_pendulum:values.runs.0.score_from_scratch:.2f`

is the record ``results/gcl_pendulum.json``, the dotted path into it (list indices are integers)
and an optional format spec after the second colon. A path may end in ``mean`` or ``std`` applied
to a list of runs: ``values.runs[*].score_from_scratch.mean`` averages that key over the list.

Directive ``{record-table}`` — one row per run of a record, plus optional mean ± std::

    ```{record-table} gcl_point_mass
    :rows: values.runs
    :summary: mean ± std

    seed | seed | d
    correlation (expert states) | corr_expert | .3f
    ```

Each content line is ``header | key in each row | format``. ``:summary:`` adds a last row with
the mean ± standard deviation (``ddof=0``) over the rows of every numeric column except the first.
A missing record or key is a build error (the book is built with ``-W``), never a blank cell.
"""

from __future__ import annotations

import json
import statistics
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import directives
from docutils.statemachine import StringList
from sphinx.util.docutils import SphinxDirective, SphinxRole

ROOT = Path(__file__).resolve().parent.parent


class RecordError(ValueError):
    pass


def load_record(name: str) -> dict:
    path = ROOT / "results" / f"{name}.json"
    if not path.is_file():
        raise RecordError(f"no record results/{name}.json")
    return json.loads(path.read_text())


def lookup(record: dict, path: str):
    """The value at a dotted ``path``; ``runs[*].key.mean`` / ``.std`` aggregate over a list."""
    value = record
    parts = path.split(".")
    i = 0
    while i < len(parts):
        part = parts[i]
        if part.endswith("[*]"):
            items = value[part[:-3]] if part[:-3] else value
            rest = parts[i + 1:]
            if rest and rest[-1] in ("mean", "std"):
                values = [float(lookup(item, ".".join(rest[:-1]))) for item in items]
                if rest[-1] == "mean":
                    return statistics.fmean(values)
                return statistics.pstdev(values)
            return [lookup(item, ".".join(rest)) for item in items]
        if isinstance(value, list):
            value = value[int(part)]
        elif isinstance(value, dict) and part in value:
            value = value[part]
        else:
            raise RecordError(f"no key {part!r} on the path {path!r}")
        i += 1
    return value


def render(value, spec: str) -> str:
    if spec:
        text = format(value, spec)
    else:
        text = f"{value:.4g}" if isinstance(value, float) else str(value)
    return text.replace("-", "\N{MINUS SIGN}") if isinstance(value, (int, float)) else text


class RecordRole(SphinxRole):
    def run(self):
        name, _, rest = self.text.partition(":")
        path, _, spec = rest.partition(":")
        try:
            self.env.note_dependency(str(ROOT / "results" / f"{name}.json"))
            text = render(lookup(load_record(name), path), spec)
        except (RecordError, KeyError, IndexError, ValueError, TypeError) as error:
            message = self.inliner.reporter.error(f"{{record}}`{self.text}`: {error}", line=self.lineno)
            return [nodes.problematic(self.rawtext, self.rawtext)], [message]
        return [nodes.inline(self.rawtext, text, classes=["irlbook-record"])], []


class RecordTable(SphinxDirective):
    required_arguments = 1
    has_content = True
    option_spec = {"rows": directives.unchanged_required, "summary": directives.unchanged}

    def run(self):
        name = self.arguments[0]
        self.env.note_dependency(str(ROOT / "results" / f"{name}.json"))
        columns = []
        for line in self.content:
            if line.strip():
                header, key, spec = (part.strip() for part in (line.split("|") + ["", ""])[:3])
                columns.append((header, key, spec))
        try:
            rows = lookup(load_record(name), self.options["rows"])
            body = [[lookup(row, key) for _, key, _ in columns] for row in rows]
        except (RecordError, KeyError, IndexError, ValueError, TypeError) as error:
            raise self.error(f"record-table {name}: {error}") from error
        lines = ["| " + " | ".join(header for header, _, _ in columns) + " |",
                 "|" + "---|" * len(columns)]
        lines += ["| " + " | ".join(render(v, spec) for v, (_, _, spec) in zip(row, columns, strict=True)) + " |"
                  for row in body]
        if "summary" in self.options:
            cells = [self.options["summary"] or "mean ± std"]
            for j, (_, _, spec) in enumerate(columns[1:], start=1):
                values = [row[j] for row in body]
                if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
                    mean, std = statistics.fmean(values), statistics.pstdev(values)
                    cells.append(f"{render(mean, spec)} ± {render(std, spec)}")
                else:
                    cells.append("")
            lines.append("| " + " | ".join(cells) + " |")
        container = nodes.container(classes=["irlbook-results"])
        self.state.nested_parse(StringList(lines, source=f"results/{name}.json"), self.content_offset, container)
        return [container]


def setup(app):
    app.add_role("record", RecordRole())
    app.add_directive("record-table", RecordTable)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "0.1"}
