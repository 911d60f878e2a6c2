"""_ext/irlbook_values: the helpers behind the book's {record} role and {record-table} directive."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

pytest.importorskip("sphinx")
_PATH = Path(__file__).parent.parent / "_ext" / "irlbook_values.py"
_spec = importlib.util.spec_from_file_location("irlbook_values", _PATH)
values = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(values)

RECORD = {"values": {"runs": [{"a": 1.0, "b": {"c": 0.5}}, {"a": 3.0, "b": {"c": 0.25}}], "seconds": 150.0,
                     "trace": [1.0, 2.0, 7.0]}}
OTHER = {"values": {"runs": [{"a": 8.0, "b": {"c": 1.0}}]}}


def test_lookup_aggregates_and_negative_indices():
    assert values.lookup(RECORD, "values.runs[*].a.mean") == 2.0
    assert values.lookup(RECORD, "values.runs[*].a.std") == 1.0
    assert values.lookup(RECORD, "values.runs[*].b.c.min") == 0.25
    assert values.lookup(RECORD, "values.runs[*].b.c.max") == 0.5
    assert values.lookup(RECORD, "values.trace.-1") == 7.0
    with pytest.raises(values.RecordError, match="nope"):
        values.lookup(RECORD, "values.nope")


def test_several_records_pool_their_runs():
    assert values.lookup_many([RECORD, OTHER], "values.runs[*].a.max") == 8.0
    assert values.lookup_many([RECORD, OTHER], "values.runs[*].a.mean") == pytest.approx(4.0)
    with pytest.raises(values.RecordError, match=r"\[\*\]"):
        values.lookup_many([RECORD, OTHER], "values.seconds")


def test_render_scales_and_minus_signs():
    assert values.render(150.0, "/60:.1f") == "2.5"
    assert values.render(0.5, "*100:.0f") == "50"
    assert values.render(-0.4235, ".2f") == "\N{MINUS SIGN}0.42"
    assert values.render(0.875, ".0%") == "88%"


def test_cells_join_or_fill_a_template():
    assert values.render_cell([0.9, -0.5], ".1f") == "0.9 / \N{MINUS SIGN}0.5"
    assert values.render_cell([0.925, 0.975], "{:.3f} ({:.0%})") == "0.925 (98%)"
    assert values.render_cell([(0.8, 0.1), (0.9, 0.05)], "{:.1f} ({:.0%})", summary=True) == "0.8 ± 0.1 (90% ± 5%)"
    with pytest.raises(values.RecordError, match="fields"):
        values.render_cell([1.0], "{:.1f} / {:.1f}")


def test_the_chapter_records_exist_and_hold_the_cited_keys():
    pendulum = values.load_records("gcl_pendulum+gcl_pendulum_seeds_1_2")
    assert len(values.lookup_many(pendulum, "values.runs[*].seed")) == 3
    with pytest.raises(values.RecordError, match="no record"):
        values.load_record("no_such_record")


BOOK = Path(__file__).parent.parent / "book"
ROLE = re.compile(r"\{(record|record-calc)\}`([^`]+)`")
BLOCK = re.compile(r"```\{(record-grid|record-table)\} ([^\n]+)\n(.*?)```", re.S)


def _pages():
    return sorted(BOOK.rglob("*.md"))


def _block(body: str) -> tuple[dict, list[str]]:
    """A directive block's ``:option: value`` lines and its content lines, as MyST splits them."""
    options, lines = {}, body.splitlines()
    while lines and lines[0].startswith(":"):
        key, _, value = lines.pop(0)[1:].partition(":")
        options[key.strip()] = value.strip()
    return options, lines


def test_every_record_role_in_the_book_resolves():
    """Each {record} and {record-calc} role of every page renders from the committed records through the function
    the build calls: a wrong record name or path fails here, not only in ``make book``."""
    seen = 0
    for page in _pages():
        for kind, text in ROLE.findall(page.read_text()):
            seen += 1
            assert values.render_role(kind, text), (page.name, text)
    assert seen > 100


def test_every_record_table_and_grid_in_the_book_renders():
    seen, fences = {"record-grid": 0, "record-table": 0}, 0
    for page in _pages():
        text = page.read_text()
        fences += text.count("```{record-grid}") + text.count("```{record-table}")
        for kind, arguments, body in BLOCK.findall(text):
            options, content = _block(body)
            if kind == "record-grid":
                lines = values.grid_lines(arguments.strip(), options["header"], content, options.get("format", ""))
            else:
                lines = values.table_lines(arguments.split(), options["rows"], content, options.get("summary"))
            assert len(lines) > 2, (page.name, arguments)
            seen[kind] += 1
    assert sum(seen.values()) == fences and min(seen.values()) >= 5, (seen, fences)   # every block was parsed


def test_a_misspelt_path_or_role_fails():
    with pytest.raises(values.RecordError, match="no key"):
        values.render_role("record", "gcl_pendulum:values.runs.0.no_such_key:.2f")
    with pytest.raises(values.RecordError, match="list"):
        values.render_role("record-calc", "gcl_pendulum:{values.runs[*].seed}")
    with pytest.raises(values.RecordError, match="no role"):
        values.render_role("record-cal", "gcl_pendulum:{values.runs.0.seed}")
    with pytest.raises(values.RecordError, match="cells"):
        values.grid_lines("gcl_pendulum", "a | b", ["row | {values.runs.0.seed} | {values.runs.0.seed}"])
