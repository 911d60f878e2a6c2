"""Sphinx glue: numbers and tables read from ``results/*.json`` when the book is built.

A chapter never types a number that a record holds; it names where the number lives.

Role ``{record}`` — one value, formatted::

    {record}`gcl_pendulum:values.runs.0.score_from_scratch:.2f`

is the record ``results/gcl_pendulum.json``, the dotted path into it (list indices are integers,
negative ones count from the end) and an optional format spec after the second colon. A path may
end in ``mean``, ``std`` (population), ``min`` or ``max`` applied to a list of runs:
``values.runs[*].score_from_scratch.mean`` averages that key over the list. Several records joined
by ``+`` pool their lists: ``{record}`gcl_pendulum+gcl_pendulum_seeds_1_2:values.runs[*].seed.max```.

A format spec may start with a scale, ``/N:`` or ``*N:``, applied before formatting:
``{record}`gcl_Hopper-v5_seed0:values.seconds:/60:.0f``` is a duration in minutes. ``%`` specs
(``.0%``) print fractions as percentages.

Directive ``{record-table}`` — one row per run of a record, plus optional mean ± std::

    ```{record-table} gcl_point_mass
    :rows: values.runs
    :summary: mean ± std

    seed | seed | d
    correlation (expert states) | corr_expert | .3f
    ```

Each content line is ``header | key in each row | format``. A key may list several keys separated
by commas: the cell shows their values joined by `` / `` (each with the format), or, when the
format is a template with one ``{:spec}`` field per key, the template filled in, e.g.
``score (reached) | cotrained.score, cotrained.reached | {:.3f} ({:.0%})``. ``:summary:`` adds a
last row with the mean ± standard deviation (``ddof=0``) over the rows of every numeric value of
every column except the first. Several records may be named: their rows are concatenated, and
``:rows: values`` (a mapping, not a list) makes each record one row. A missing record or key is a
build error (the book is built with ``-W``), never a blank cell.

Role ``{record-calc}`` — a number computed from one record at build time::

    {record-calc}`airl_point_maze_quick_seeds:mean({values.test.true reward}) - mean({values.test.AIRL reward}):.1f`

is the record, an arithmetic expression whose ``{dotted.path}`` placeholders are values of the
record (a list becomes an array, so ``{a} > {b}`` compares run by run), and an optional format
spec after the last colon. The expression may use numbers, strings, ``+ - * / **``, comparisons,
integer indexing and the functions ``mean``, ``std`` (``ddof=0``), ``min``, ``max``, ``sum``,
``len``, ``abs``, ``count`` (how many entries are true), ``all`` and ``any``; nothing else parses.

Directive ``{record-grid}`` — a table whose rows are expressions, for records that store one list
per method rather than one dict per run::

    ```{record-grid} airl_point_maze_quick_seeds
    :header: in the test layout | seed 0 | seed 1 | seed 2 | mean
    :format: .2f

    SAC on the true reward | {values.test.true reward} | mean({values.test.true reward})
    scripted expert (test layout) | {values.expert_test} | | |
    ```

The first cell of each line is literal text; every other cell is an expression as in
``{record-calc}`` (optionally ending in ``:spec``, which overrides ``:format:``), an empty cell
stays empty, and an expression whose value is a list fills one cell per entry. A row whose cell
count differs from the header's is a build error.
"""

from __future__ import annotations

import ast
import json
import re
import statistics
import string
from pathlib import Path

import numpy as np
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


AGGREGATES = {"mean": statistics.fmean, "std": statistics.pstdev, "min": min, "max": max}


def load_records(names: str) -> list[dict]:
    """The records named in ``"a+b+c"``."""
    return [load_record(name) for name in names.split("+")]


def lookup_many(records: list[dict], path: str):
    """:func:`lookup` on one record; on several, the lists at the first ``[*]`` are pooled."""
    if len(records) == 1:
        return lookup(records[0], path)
    head, star, tail = path.partition("[*]")
    if not star:
        raise RecordError(f"a path over several records needs a [*]: {path!r}")
    items = []
    for record in records:
        items.extend(lookup(record, head) if head else record)
    return lookup({"pooled": items}, "pooled[*]" + tail)


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
            if rest and rest[-1] in AGGREGATES:
                values = [float(lookup(item, ".".join(rest[:-1]))) for item in items]
                return AGGREGATES[rest[-1]](values)
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
    """``value`` formatted with ``spec``, optionally prefixed by a scale ``/N:`` or ``*N:``."""
    if spec[:1] in ("/", "*") and ":" in spec:
        operation, (factor, _, spec) = spec[0], spec[1:].partition(":")
        value = value / float(factor) if operation == "/" else value * float(factor)
    if spec:
        text = format(value, spec)
    else:
        text = f"{value:.4g}" if isinstance(value, float) else str(value)
    return text.replace("-", "\N{MINUS SIGN}") if isinstance(value, (int, float)) else text


def render_cell(values: list, spec: str, summary: bool = False) -> str:
    """One table cell: ``values`` (one per key; ``(mean, std)`` pairs when ``summary``) with ``spec``,
    a plain spec applied to each and joined by `` / ``, or a template with one ``{:spec}`` per value."""
    def one(value, field_spec):
        if summary:
            mean, std = value
            return f"{render(mean, field_spec)} ± {render(std, field_spec)}"
        return render(value, field_spec)
    if "{" not in spec:
        return " / ".join(one(v, spec) for v in values)
    parts, k = [], 0
    for literal, field, field_spec, _ in string.Formatter().parse(spec):
        parts.append(literal)
        if field is not None:
            if k >= len(values):
                raise RecordError(f"the template {spec!r} has more fields than keys")
            parts.append(one(values[k], field_spec or ""))
            k += 1
    if k != len(values):
        raise RecordError(f"the template {spec!r} has {k} fields for {len(values)} keys")
    return "".join(parts)


def record_names(kind: str, text: str) -> list[str]:
    """The records a ``{record}`` or ``{record-calc}`` role's ``text`` reads (the build's dependencies)."""
    names = text.partition(":")[0]
    return names.split("+") if kind == "record" else [names]


def render_role(kind: str, text: str) -> str:
    """What the role ``{kind}`text``` shows (``kind`` is ``"record"`` or ``"record-calc"``); the roles below and
    the test that every role of the book resolves both call this."""
    names, _, rest = text.partition(":")
    if kind == "record":
        path, _, spec = rest.partition(":")
        return render(lookup_many(load_records(names), path), spec)
    if kind != "record-calc":
        raise RecordError(f"no role {kind!r}")
    expression, spec = split_spec(rest)
    value = evaluate(load_record(names), expression)
    if isinstance(value, list):
        raise RecordError("the expression gives a list; a role shows one value")
    return render(value, spec)


ROLE_ERRORS = (RecordError, KeyError, IndexError, ValueError, TypeError, ZeroDivisionError)


class RecordRole(SphinxRole):
    kind = "record"

    def run(self):
        try:
            for name in record_names(self.kind, self.text):
                self.env.note_dependency(str(ROOT / "results" / f"{name}.json"))
            text = render_role(self.kind, self.text)
        except ROLE_ERRORS as error:
            message = self.inliner.reporter.error(f"{{{self.kind}}}`{self.text}`: {error}", line=self.lineno)
            return [nodes.problematic(self.rawtext, self.rawtext)], [message]
        return [nodes.inline(self.rawtext, text, classes=["irlbook-record"])], []


def table_lines(names: list[str], rows: str, content: list[str], summary: str | None = None) -> list[str]:
    """The Markdown lines of a ``{record-table}`` over the records ``names``: ``rows`` is its ``:rows:`` path,
    ``content`` its ``header | key | format`` lines, ``summary`` its ``:summary:`` label (None: no summary row)."""
    columns = []
    for line in content:
        if line.strip():
            header, key, spec = (part.strip() for part in (line.split("|") + ["", ""])[:3])
            columns.append((header, [k.strip() for k in key.split(",")], spec))
    found_rows = []
    for name in names:
        found = lookup(load_record(name), rows)
        found_rows.extend([found] if isinstance(found, dict) else found)
    body = [[[lookup(row, k) for k in keys] for _, keys, _ in columns] for row in found_rows]
    lines = ["| " + " | ".join(header for header, _, _ in columns) + " |", "|" + "---|" * len(columns)]
    for row in body:
        cells = (render_cell(cell, spec) for cell, (_, _, spec) in zip(row, columns, strict=True))
        lines.append("| " + " | ".join(cells) + " |")
    if summary is not None:
        cells = [summary or "mean ± std"]
        for j, (_, keys, spec) in enumerate(columns[1:], start=1):
            pooled = [[row[j][k] for row in body] for k in range(len(keys))]
            if all(isinstance(v, (int, float)) and not isinstance(v, bool) for vs in pooled for v in vs):
                stats = [(statistics.fmean(vs), statistics.pstdev(vs)) for vs in pooled]
                cells.append(render_cell(stats, spec, summary=True))
            else:
                cells.append("")
        lines.append("| " + " | ".join(cells) + " |")
    return lines


class RecordTable(SphinxDirective):
    required_arguments = 1
    optional_arguments = 20
    has_content = True
    option_spec = {"rows": directives.unchanged_required, "summary": directives.unchanged}

    def run(self):
        names = list(self.arguments)
        for name in names:
            self.env.note_dependency(str(ROOT / "results" / f"{name}.json"))
        try:
            lines = table_lines(names, self.options["rows"], list(self.content), self.options.get("summary"))
        except (RecordError, KeyError, IndexError, ValueError, TypeError) as error:
            raise self.error(f"record-table {' '.join(names)}: {error}") from error
        container = nodes.container(classes=["irlbook-results"])
        self.state.nested_parse(StringList(lines, source=f"results/{names[0]}.json"), self.content_offset, container)
        return [container]


# ----------------------------------------------------------------- expressions over one record
_FUNCTIONS = {
    "mean": lambda x: float(np.mean(x)),
    "std": lambda x: float(np.std(x)),
    "min": lambda x: np.min(x).item(),
    "max": lambda x: np.max(x).item(),
    "sum": lambda x: np.sum(x).item(),
    "len": len,
    "abs": np.abs,
    "count": lambda x: int(np.count_nonzero(x)),
    "all": lambda x: bool(np.all(x)),
    "any": lambda x: bool(np.any(x)),
}
_ALLOWED = (ast.Expression, ast.BinOp, ast.UnaryOp, ast.Compare, ast.Call, ast.Name, ast.Constant,
            ast.Subscript, ast.Load, ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow, ast.USub, ast.UAdd,
            ast.Lt, ast.LtE, ast.Gt, ast.GtE, ast.Eq, ast.NotEq)
_PLACEHOLDER = re.compile(r"\{([^{}]+)\}")


def _as_value(value):
    """Lists of numbers become float arrays (so arithmetic and comparisons act entry by entry)."""
    if isinstance(value, list) and value and all(isinstance(v, (int, float)) and not isinstance(v, bool)
                                                 for v in value):
        return np.asarray(value, dtype=float)
    return value


def evaluate(record: dict, expression: str):
    """The value of ``expression`` with each ``{path}`` replaced by ``lookup(record, path)``."""
    names = {}

    def bind(match):
        name = f"_v{len(names)}"
        names[name] = _as_value(lookup(record, match.group(1).strip()))
        return name

    source = _PLACEHOLDER.sub(bind, expression.strip())
    try:
        tree = ast.parse(source, mode="eval")
    except SyntaxError as error:
        raise RecordError(f"cannot parse {expression!r}: {error.msg}") from error
    for node in ast.walk(tree):
        if not isinstance(node, _ALLOWED):
            raise RecordError(f"{type(node).__name__} is not allowed in {expression!r}")
        if isinstance(node, ast.Name) and node.id not in names and node.id not in _FUNCTIONS:
            raise RecordError(f"unknown name {node.id!r} in {expression!r}")
        if isinstance(node, ast.Call) and not (isinstance(node.func, ast.Name) and node.func.id in _FUNCTIONS):
            raise RecordError(f"only {sorted(_FUNCTIONS)} may be called in {expression!r}")
        if isinstance(node, ast.Subscript) and not (isinstance(node.slice, ast.Constant)
                                                    and isinstance(node.slice.value, int)):
            raise RecordError(f"only integer indices are allowed in {expression!r}")
    value = eval(compile(tree, "<record-calc>", "eval"), {"__builtins__": {}}, {**_FUNCTIONS, **names})  # noqa: S307
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    return value


def split_spec(text: str) -> tuple[str, str]:
    """``expression:spec`` -> (expression, spec); an expression never contains a colon."""
    expression, sep, spec = text.rpartition(":")
    return (expression, spec) if sep else (text, "")


class RecordCalcRole(RecordRole):
    kind = "record-calc"


def grid_lines(name: str, header: str, content: list[str], default_spec: str = "") -> list[str]:
    """The Markdown lines of a ``{record-grid}`` over the record ``name``: ``header`` is its ``:header:`` option,
    ``content`` its rows, ``default_spec`` its ``:format:``."""
    header_cells = [cell.strip() for cell in header.split("|")]
    lines = ["| " + " | ".join(header_cells) + " |", "|" + "---|" * len(header_cells)]
    record = load_record(name)
    for line in content:
        if not line.strip():
            continue
        label, *cells = (cell.strip() for cell in line.split("|"))
        row = [label]
        for cell in cells:
            if not cell:
                row.append("")
                continue
            expression, spec = split_spec(cell)
            value = evaluate(record, expression)
            values = value if isinstance(value, list) else [value]
            row += [render(v, spec or default_spec) for v in values]
        if len(row) != len(header_cells):
            raise RecordError(f"row {label!r} has {len(row)} cells, the header {len(header_cells)}")
        lines.append("| " + " | ".join(row) + " |")
    return lines


class RecordGrid(SphinxDirective):
    required_arguments = 1
    has_content = True
    option_spec = {"header": directives.unchanged_required, "format": directives.unchanged}

    def run(self):
        name = self.arguments[0]
        self.env.note_dependency(str(ROOT / "results" / f"{name}.json"))
        try:
            lines = grid_lines(name, self.options["header"], list(self.content), self.options.get("format", ""))
        except ROLE_ERRORS as error:
            raise self.error(f"record-grid {name}: {error}") from error
        container = nodes.container(classes=["irlbook-results"])
        self.state.nested_parse(StringList(lines, source=f"results/{name}.json"), self.content_offset, container)
        return [container]


def setup(app):
    app.add_role("record", RecordRole())
    app.add_directive("record-table", RecordTable)
    app.add_role("record-calc", RecordCalcRole())
    app.add_directive("record-grid", RecordGrid)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "0.1"}
