"""Result files carry their provenance."""

import datetime as _dt
import json
import platform
import re

import numpy as np
import pytest

import irlbook
from irlbook.book.records import describe_device, load_results, save_result
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


def test_device_names_the_cpu_kernel_level_and_any_mkl_pin(monkeypatch):
    """A CPU record says which matrix-product kernels ran (they change a chaotic rollout's episodes) and any pin."""
    torch = pytest.importorskip("torch")
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    for name in ("MKL_ENABLE_INSTRUCTIONS", "MKL_CBWR"):
        monkeypatch.delenv(name, raising=False)
    plain = describe_device()
    assert plain.startswith("cpu: ") and f"torch kernels {torch.backends.cpu.get_cpu_capability()}" in plain
    assert "MKL" not in plain
    monkeypatch.setenv("MKL_ENABLE_INSTRUCTIONS", "SSE4_2")
    assert describe_device() == plain + ", MKL_ENABLE_INSTRUCTIONS=SSE4_2"


def test_profile_switch(monkeypatch):
    monkeypatch.setenv("IRLBOOK_PROFILE", "quick")
    assert pick(quick=1, full=2) == 1
    monkeypatch.setenv("IRLBOOK_PROFILE", "full")
    assert pick(quick=1, full=2) == 2
    monkeypatch.setenv("IRLBOOK_PROFILE", "fast")
    with pytest.raises(ValueError, match="IRLBOOK_PROFILE"):
        get_profile()


# ----------------------------------------------------------------------------- paper claims
def _claim(**changes):
    claim = {"paper": "ho2016generative", "chapter": "07_irl_as_gan", "quantity": "GAIL score",
             "paper_value": {"text": "≈ 1.0", "value": 1.0},
             "measured": {"key": "values.runs[*].score"},
             "scale": {"ours": "{values.n_demos} demonstrations, {values.hidden} networks", "paper": "TRPO"},
             "rule": {"reproduced": {"at_least": 0.9}, "qualitative": None},
             "verdict": "reproduced", "reason": "expert level"}
    claim.update(changes)
    return claim


RECORD = {"name": "demo", "values": {"n_demos": 20, "hidden": [64, 64],
                                     "runs": [{"score": 0.95}, {"score": 1.05}, {"score": 0.91}],
                                     "gail": [-30.0, -28.0], "airl": [-20.0, -22.0], "probs": [0.5, 0.25, 0.25]}}


def test_measure_claim_computes_mean_std_and_seeds_from_the_record():
    from irlbook.book.records import claim_verdict, fill_scale, measure_claim

    summary = measure_claim(RECORD, _claim())
    scores = np.array([0.95, 1.05, 0.91])
    assert summary["n_seeds"] == 3 and summary["records"] == ["demo"]
    np.testing.assert_allclose([summary["mean"], summary["std"]], [scores.mean(), scores.std()], rtol=1e-12)
    assert claim_verdict(_claim(), summary) == "reproduced"
    assert fill_scale(RECORD, _claim()["scale"]["ours"]) == "20 demonstrations, 64×64 networks"
    # the same claim on a record whose mean falls below the threshold is not reproduced
    low = {"name": "low", "values": {"runs": [{"score": 0.95}, {"score": 0.6}]}}
    assert claim_verdict(_claim(), measure_claim(low, _claim())) == "not reproduced"


def test_pool_ordering_and_exact_claims():
    from irlbook.book.records import claim_verdict, measure_claim

    other = {"name": "more", "values": {"gail": [-29.0], "airl": [-25.0]}}
    ordering = _claim(measured={"key": "values.airl", "versus": "values.gail", "pool": ["more"]},
                      paper_value={"text": "AIRL −8.82 vs GAIL −29.9", "value": None},
                      rule={"reproduced": None, "qualitative": {"above_versus": True}})
    summary = measure_claim(RECORD, ordering, {"more": other})
    assert summary["n_seeds"] == 3 and summary["records"] == ["demo", "more"]
    np.testing.assert_allclose(summary["mean"], -67 / 3)
    np.testing.assert_allclose(summary["versus"]["mean"], -29.0)
    assert claim_verdict(ordering, summary) == "qualitative"
    # a mean above GAIL's by less than the standard error of the difference over the seeds is a tie, no ordering:
    # AIRL -20, -22, -36 (mean -26, sample std 8.7) against GAIL -30, -28, -29 (mean -29, sample std 1)
    other["values"]["airl"] = [-36.0]
    tie = measure_claim(RECORD, ordering, {"more": other})
    assert tie["mean"] > tie["versus"]["mean"] and claim_verdict(ordering, tie) == "not reproduced"
    other["values"]["airl"] = [-90.0]     # the pooled mean falls below GAIL's: the ordering fails
    assert claim_verdict(ordering, measure_claim(RECORD, ordering, {"more": other})) == "not reproduced"
    exact = _claim(measured={"key": "values.probs", "per": "component"},
                   paper_value={"text": "1/2, 1/4, 1/4", "value": [0.5, 0.25, 0.25]},
                   rule={"reproduced": {"within": 1e-12}, "qualitative": None})
    summary = measure_claim(RECORD, exact)
    assert summary["n_seeds"] is None
    assert claim_verdict(exact, summary) == "reproduced"
    exact["paper_value"]["value"] = [1 / 3] * 3
    assert claim_verdict(exact, summary) == "not reproduced"


@pytest.mark.parametrize(("changes", "field"), [
    ({"verdict": "maybe"}, "verdict"),
    ({"paper": ""}, "paper"),
    ({"measured": {"key": "values.runs[*].score", "per": "run"}}, "measured.per"),
    ({"measured": {"key": "values.runs[*].score", "extra": 1}}, "measured"),
    ({"rule": {"reproduced": {"close": 1}, "qualitative": None}}, "rule.reproduced"),
    ({"paper_value": {"text": "no number", "value": None}}, "rule.reproduced"),
    ({"rule": {"reproduced": None, "qualitative": {"above_versus": True}}}, "rule.qualitative"),
    ({"scale": {"ours": "x"}}, "scale"),
])
def test_check_claim_names_the_bad_field(changes, field):
    from irlbook.book.records import check_claim

    with pytest.raises(ValueError, match=re.escape(field)):
        check_claim(_claim(**changes))


def test_measure_claim_rejects_missing_paths_and_non_numbers():
    from irlbook.book.records import measure_claim

    with pytest.raises(ValueError, match="no key 'nope'"):
        measure_claim(RECORD, _claim(measured={"key": "values.nope"}))
    with pytest.raises(ValueError, match="does not hold numbers"):
        measure_claim({"values": {"runs": [{"score": "high"}]}}, _claim())
    with pytest.raises(ValueError, match="pool names no record"):
        measure_claim(RECORD, _claim(measured={"key": "values.runs[*].score", "pool": ["gone"]}), {})


def test_save_result_keeps_claims_unless_told_otherwise(tmp_path, monkeypatch):
    monkeypatch.setenv("IRLBOOK_RESULTS", str(tmp_path))
    save_result("demo", {"runs": [{"score": 1.0}]}, reproduces=[_claim()])
    save_result("demo", {"runs": [{"score": 0.5}]})         # a rerun keeps the claims, with new numbers
    assert json.loads((tmp_path / "demo.json").read_text())["reproduces"] == [_claim()]
    save_result("demo", {"runs": [{"score": 0.5}]}, reproduces=[])
    assert json.loads((tmp_path / "demo.json").read_text())["reproduces"] == []


# ----------------------------------------------------------------------------- the benchmark report
def _extension():
    import importlib.util

    from tests.helpers import ROOT

    spec = importlib.util.spec_from_file_location("irlbook_results_ext", ROOT / "_ext" / "irlbook_results.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_benchmark_report_renders_the_case_schema(tmp_path):
    ext = _extension()
    (tmp_path / "results" / "figures").mkdir(parents=True)
    (tmp_path / "results" / "figures" / "benchmark_demo_time.png").write_bytes(b"\x89PNG")
    record = {"name": "benchmark_demo",
              "provenance": {"device": "cpu: x86_64, 2 cores", "date": "2026-12-02T10:00:00+00:00",
                             "versions": {"numpy": "2.4.6", "irlbook": "0.2.0"}, "command": "make bench"},
              "values": {"title": "Forward-backward pass", "peer": "imitation 1.0.1 mce_partition_fh",
                         "cases": [{"case": "gridworld 64x64", "states": 4096, "actions": 5, "horizon": 100,
                                    "sparse": True, "peer_seconds": 9.357123456789012,
                                    "ours_seconds": 0.07041234567891234, "ratio": 132.89123456789012,
                                    "max_abs_diff": 2.2737367544323206e-13, "peak_memory_mb": 12.345678901},
                                   {"case": "too big for the peer", "states": 16384, "actions": 5, "horizon": 100,
                                    "sparse": True, "peer_seconds": None, "ours_seconds": 0.4, "ratio": None,
                                    "max_abs_diff": None}],
                         "growth": {"sparse": {"exponent_ours": 1.0123456789, "exponent_peer": 2.0123456789}},
                         "floor": {"note": "the floor is a memory copy", "bytes_per_second": 1.23456789e10,
                                   "nested": {"not": "shown"}},
                         "figures": ["results/figures/benchmark_demo_time.png"]}}
    lines, figures = ext.benchmark_lines(record, root=tmp_path)
    text = "\n".join(lines)
    assert figures == [tmp_path / "results/figures/benchmark_demo_time.png"]
    assert "| gridworld 64x64 | 4096 × 5 × 100 | yes | 9.36 s | 70.4 ms | 133× | 2.3e−13 | 12.3 |" in text
    assert "| too big for the peer | 16,384 × 5 × 100 | yes | – | 400 ms | – | – | – |" in text
    assert "$S^{1.01}$" in text and "$S^{2.01}$" in text
    assert "the floor is a memory copy" in text and "1.23e+10" in text and "nested" not in text
    assert "```{figure} /results/figures/benchmark_demo_time.png" in text
    assert not re.search(r"\d\.\d{6,}", text), "a float printed with all its digits"
    captions = [line for line in lines if line.startswith("*Measured on")]
    assert len(captions) == 1 and "numpy 2.4.6" in captions[0] and "make bench" in captions[0]
    assert "2026-12-02" in captions[0] and "CPU x86_64" in captions[0]
    record["values"]["figures"] = ["results/figures/missing.png"]
    with pytest.raises(ValueError, match="missing.png"):
        ext.benchmark_lines(record, root=tmp_path)


def test_benchmark_report_renders_the_earlier_layouts():
    ext = _extension()
    from tests.helpers import ROOT

    for path in sorted((ROOT / "results").glob("benchmark_*.json")):
        lines, _ = ext.benchmark_lines(json.loads(path.read_text()))
        text = "\n".join(lines)
        assert "| case |" in text, path.name
        assert not re.search(r"\d\.\d{6,}", text), path.name
        assert "{'" not in text and '{"' not in text, path.name
        assert sum(line.startswith("*Measured on") for line in lines) == 1
