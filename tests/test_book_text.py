"""The reader's text: no control characters in the sources, no words about how the book is made.

A ``\\t`` typed inside a Python string that writes MyST turns ``\\times`` into a tab followed by
``imes``; MathJax renders the damage silently, so the sources are checked here instead.
"""

from __future__ import annotations

import json
import re

import pytest

from tests.helpers import ROOT

CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f]")
PROCESS = re.compile(r"(?i)\bthe issue\b|\bthis stop\b|\b(helper|work) sessions?\b|\bthe lead\b|\bacceptance target")


def _reader_texts():
    for path in sorted((ROOT / "book").rglob("*.md")) + [ROOT / "index.md"]:
        yield path.relative_to(ROOT), path.read_text(encoding="utf-8")
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        for index, cell in enumerate(cells):
            if cell["cell_type"] == "markdown":
                yield f"{path.relative_to(ROOT)} cell {index}", "".join(cell["source"])


TEXTS = list(_reader_texts())


@pytest.mark.parametrize(("where", "text"), TEXTS, ids=[str(where) for where, _ in TEXTS])
def test_no_control_characters_or_tabs(where, text):
    bad = [(text.count("\n", 0, m.start()) + 1, repr(m.group())) for m in CONTROL.finditer(text)]
    assert not bad, f"{where}: control characters (line, char): {bad[:5]}"


@pytest.mark.parametrize(("where", "text"), TEXTS, ids=[str(where) for where, _ in TEXTS])
def test_no_words_about_the_work_process(where, text):
    hits = [text[max(0, m.start() - 40):m.end() + 40] for m in PROCESS.finditer(text)]
    assert not hits, f"{where}: process words in the reader's text: {hits[:3]}"


def test_the_control_character_check_catches_a_broken_times():
    assert CONTROL.search("$D_S\times D_A$".replace("\\t", "\t"))
    assert CONTROL.search("$D_S\times D_A$")
    assert not CONTROL.search(r"$D_S\times D_A$")


@pytest.mark.parametrize("path", sorted((ROOT / "notebooks").glob("*.ipynb")), ids=lambda p: p.name)
def test_notebook_cells_have_unique_ids(path):
    """nbformat 4.5 wants an id on every cell (a missing one is a warning now, an error later)."""
    notebook = json.loads(path.read_text(encoding="utf-8"))
    ids = [cell.get("id") for cell in notebook["cells"]]
    assert (notebook["nbformat"], notebook["nbformat_minor"]) >= (4, 5)
    assert None not in ids and len(set(ids)) == len(ids), f"{path.name}: missing or repeated cell ids"
