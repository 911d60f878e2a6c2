"""Result files carry their provenance."""

import datetime as _dt
import json
import platform
import re

import numpy as np
import pytest

import irlbook
from irlbook.book.records import load_results, save_result
from irlbook.profile import get_profile, pick


def test_save_result_writes_values_and_provenance(tmp_path, monkeypatch):
    monkeypatch.setenv("IRLBOOK_RESULTS", str(tmp_path))
    path = save_result("demo", {"evd": 0.25}, seed=3, command="python run.py",
                       reproduces=[{"paper": "levine2011", "quantity": "EVD", "paper_value": 0.2, "measured": 0.25}])
    assert path == tmp_path / "demo.json"
    record = json.loads(path.read_text())
    assert record["values"] == {"evd": 0.25}
    assert record["reproduces"] == [{"paper": "levine2011", "quantity": "EVD", "paper_value": 0.2, "measured": 0.25}]
    provenance = record["provenance"]
    assert provenance["seed"] == 3
    assert provenance["command"] == "python run.py"
    assert provenance["profile"] == get_profile()
    # the versions of this very run: the interpreter, numpy (irlbook imports it) and irlbook itself
    versions = provenance["versions"]
    assert versions["python"] == platform.python_version()
    assert versions["numpy"] == np.__version__
    assert versions["irlbook"] == irlbook.__version__
    date = _dt.datetime.fromisoformat(provenance["date"])
    assert date.tzinfo is not None and abs(_dt.datetime.now(_dt.timezone.utc) - date) < _dt.timedelta(minutes=5)
    assert provenance["device"].startswith(("cpu: ", "cuda: "))
    assert provenance["git_commit"] is None or re.fullmatch(r"[0-9a-f]{40}", provenance["git_commit"])
    assert load_results(tmp_path) == [record]


def test_profile_switch(monkeypatch):
    monkeypatch.setenv("IRLBOOK_PROFILE", "quick")
    assert pick(quick=1, full=2) == 1
    monkeypatch.setenv("IRLBOOK_PROFILE", "full")
    assert pick(quick=1, full=2) == 2
    monkeypatch.setenv("IRLBOOK_PROFILE", "fast")
    with pytest.raises(ValueError, match="IRLBOOK_PROFILE"):
        get_profile()
