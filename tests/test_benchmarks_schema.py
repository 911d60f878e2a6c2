"""Every ``results/benchmark_*.json`` follows the layout the Performance page renders (benchmarks/benchlib.py).

A layout check, not a timing test: the numbers depend on the machine; their form and their internal
consistency (``ratio = peer_seconds / ours_seconds``, figures that exist) do not.
"""

from __future__ import annotations

import copy
import json
import math
import numbers

import pytest

from tests.helpers import ROOT

RECORDS = sorted((ROOT / "results").glob("benchmark_*.json"))
CASE_KEYS = {"case", "states", "actions", "horizon", "sparse", "peer_seconds", "ours_seconds", "ratio",
             "max_abs_diff"}
OPTIONAL_CASE_KEYS = {"torch_cpu_seconds", "torch_cuda_seconds", "peak_memory_mb", "floor_seconds"}
VALUES_KEYS = {"title", "peer", "cases", "figures"}
OPTIONAL_VALUES_KEYS = {"growth", "floor"}
PROVENANCE_KEYS = {"date", "profile", "device", "versions", "seed", "git_commit", "command"}


def _number(value) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool) and math.isfinite(value)


def _positive(value) -> bool:
    return _number(value) and value > 0


def schema_errors(record: dict, stem: str) -> list[str]:
    """What is wrong with ``record`` (read from ``results/<stem>.json``); empty when nothing is."""
    errors = []
    if record.get("name") != stem:
        errors.append(f"name {record.get('name')!r} is not the file name {stem!r}")
    provenance = record.get("provenance")
    if not isinstance(provenance, dict) or not PROVENANCE_KEYS <= set(provenance):
        errors.append(f"provenance must hold {sorted(PROVENANCE_KEYS)}")
    values = record.get("values")
    if not isinstance(values, dict):
        return errors + ["values must be an object"]
    if not VALUES_KEYS <= set(values) or not set(values) <= VALUES_KEYS | OPTIONAL_VALUES_KEYS:
        errors.append(f"values keys {sorted(values)}: need {sorted(VALUES_KEYS)}, "
                      f"may add {sorted(OPTIONAL_VALUES_KEYS)}")
    for key in ("title", "peer"):
        if not isinstance(values.get(key), str) or not values.get(key):
            errors.append(f"values.{key} must be a non-empty string")
    cases = values.get("cases")
    if not isinstance(cases, list) or not cases:
        return errors + ["values.cases must be a non-empty list"]
    for case in cases:
        label = case.get("case") if isinstance(case, dict) else case
        if not isinstance(case, dict) or not CASE_KEYS <= set(case) or not set(case) <= CASE_KEYS | OPTIONAL_CASE_KEYS:
            errors.append(f"case {label!r}: keys {sorted(case) if isinstance(case, dict) else None}")
            continue
        if not isinstance(case["case"], str) or not case["case"]:
            errors.append(f"case {label!r}: case must be a non-empty string")
        for key in ("states", "actions", "horizon"):
            if not (isinstance(case[key], int) and not isinstance(case[key], bool) and case[key] >= 1):
                errors.append(f"case {label!r}: {key} must be a positive integer")
        if not isinstance(case["sparse"], bool):
            errors.append(f"case {label!r}: sparse must be a boolean")
        if not _positive(case["ours_seconds"]):
            errors.append(f"case {label!r}: ours_seconds must be a positive number")
        for key in ("peer_seconds", *sorted(OPTIONAL_CASE_KEYS & set(case))):
            if case[key] is not None and not _positive(case[key]):
                errors.append(f"case {label!r}: {key} must be a positive number or null")
        if case["max_abs_diff"] is not None and not (_number(case["max_abs_diff"]) and case["max_abs_diff"] >= 0):
            errors.append(f"case {label!r}: max_abs_diff must be a non-negative number or null")
        if (case["ratio"] is None) != (case["peer_seconds"] is None):
            errors.append(f"case {label!r}: ratio is null exactly when peer_seconds is")
        elif case["ratio"] is not None and _positive(case["ours_seconds"]) and _positive(case["peer_seconds"]) and \
                not math.isclose(case["ratio"], case["peer_seconds"] / case["ours_seconds"], rel_tol=1e-9):
            errors.append(f"case {label!r}: ratio is not peer_seconds / ours_seconds")
    growth = values.get("growth")
    if growth is not None:
        if not isinstance(growth, dict) or not growth or not set(growth) <= {"sparse", "dense"}:
            errors.append("values.growth must map 'sparse' and/or 'dense' to exponents")
        else:
            for family, exponents in growth.items():
                if not isinstance(exponents, dict) or set(exponents) != {"exponent_ours", "exponent_peer"} or \
                        not all(_number(x) for x in exponents.values()):
                    errors.append(f"values.growth.{family} must hold numbers exponent_ours and exponent_peer")
    floor = values.get("floor")
    if floor is not None:
        if not isinstance(floor, dict) or not isinstance(floor.get("note"), str) or not floor["note"]:
            errors.append("values.floor must be an object with a non-empty note")
        elif not all(x is None or isinstance(x, (str, bool)) or _number(x) for x in floor.values()):
            errors.append("values.floor must hold scalars only")
    figures = values.get("figures")
    if not isinstance(figures, list):
        errors.append("values.figures must be a list")
    else:
        for figure in figures:
            if not (isinstance(figure, str) and figure.startswith("results/figures/benchmark_")
                    and figure.endswith(".png")):
                errors.append(f"figure {figure!r} is not results/figures/benchmark_*.png")
            elif not (ROOT / figure).is_file():
                errors.append(f"figure {figure} does not exist")
    return errors


def test_there_are_benchmark_records():
    assert RECORDS, "no results/benchmark_*.json: run `make bench`"


@pytest.mark.parametrize("path", RECORDS, ids=[p.stem for p in RECORDS])
def test_benchmark_record_follows_the_layout(path):
    assert schema_errors(json.loads(path.read_text()), path.stem) == []


def test_every_benchmark_figure_belongs_to_a_record():
    """Every results/figures/benchmark_*.png is listed by some record (no orphaned plot)."""
    listed = {f for p in RECORDS for f in json.loads(p.read_text())["values"].get("figures", [])}
    on_disk = {str(p.relative_to(ROOT)) for p in (ROOT / "results" / "figures").glob("benchmark_*.png")}
    assert on_disk <= listed, sorted(on_disk - listed)


def _mutations():
    yield "ratio off", lambda v: v["cases"][0].update(peer_seconds=1.0, ratio=2.0 / v["cases"][0]["ours_seconds"])
    yield "missing key", lambda v: v["cases"][0].pop("ours_seconds")
    yield "unknown case key", lambda v: v["cases"][0].update(speedup=2.0)
    yield "states a float", lambda v: v["cases"][0].update(states=1024.0)
    yield "negative time", lambda v: v["cases"][0].update(ours_seconds=-1.0)
    yield "ratio without peer", lambda v: v["cases"][0].update(peer_seconds=None, ratio=3.0)
    yield "no title", lambda v: v.pop("title")
    yield "unknown values key", lambda v: v.update(forward_backward=[])
    yield "floor without note", lambda v: v.update(floor={"floor_seconds": 1.0})
    yield "floor with a list", lambda v: v.update(floor={"note": "x", "load": [1.0, 2.0]})
    yield "growth of another family", lambda v: v.update(growth={"mixed": {"exponent_ours": 1.0, "exponent_peer": 2.0}})
    yield "figure elsewhere", lambda v: v.update(figures=["benchmarks/maxent_speed.png"])
    yield "missing figure", lambda v: v.update(figures=["results/figures/benchmark_nothing_here.png"])


@pytest.mark.parametrize("label,mutate", list(_mutations()), ids=[m[0] for m in _mutations()])
def test_the_layout_check_rejects_broken_records(label, mutate):
    record = json.loads(RECORDS[0].read_text())
    assert schema_errors(record, RECORDS[0].stem) == []
    broken = copy.deepcopy(record)
    mutate(broken["values"])
    assert schema_errors(broken, RECORDS[0].stem), label
