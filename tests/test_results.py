"""Result files carry their provenance."""

import json

import pytest

from irlbook.profile import get_profile, pick
from irlbook.book.records import load_results, save_result


def test_save_result_writes_values_and_provenance(tmp_path, monkeypatch):
    monkeypatch.setenv("IRLBOOK_RESULTS", str(tmp_path))
    path = save_result("demo", {"evd": 0.25}, seed=3, command="python run.py",
                       reproduces=[{"paper": "levine2011", "quantity": "EVD", "paper_value": 0.2, "measured": 0.25}])
    record = json.loads(path.read_text())
    assert record["values"] == {"evd": 0.25}
    assert record["provenance"]["seed"] == 3
    assert record["provenance"]["command"] == "python run.py"
    assert record["provenance"]["profile"] == get_profile()
    assert "numpy" in record["provenance"]["versions"] or "python" in record["provenance"]["versions"]
    assert [r["name"] for r in load_results(tmp_path)] == ["demo"]


def test_profile_switch(monkeypatch):
    monkeypatch.setenv("IRLBOOK_PROFILE", "quick")
    assert pick(quick=1, full=2) == 1
    monkeypatch.setenv("IRLBOOK_PROFILE", "full")
    assert pick(quick=1, full=2) == 2
    monkeypatch.setenv("IRLBOOK_PROFILE", "fast")
    with pytest.raises(ValueError, match="IRLBOOK_PROFILE"):
        get_profile()
