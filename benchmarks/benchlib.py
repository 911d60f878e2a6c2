"""What every benchmark in this folder shares: timing, memory, growth exponents, the record, the plots.

Records: ``results/benchmark_<name>.json``, written by :func:`save_benchmark` through
``irlbook.book.records.save_result`` (provenance: date, device, versions, commit, command), with::

    values = {"title": str, "peer": str,
              "cases": [{"case": str, "states": int, "actions": int, "horizon": int, "sparse": bool,
                         "peer_seconds": float | None, "ours_seconds": float, "ratio": float | None,
                         "max_abs_diff": float | None,
                         # optional: "torch_cpu_seconds", "torch_cuda_seconds", "peak_memory_mb",
                         #           "floor_seconds"
                        }, ...],
              # optional: "growth": {"sparse": {"exponent_ours", "exponent_peer"}, "dense": {...}},
              #           "floor": {scalars..., "note": str}
              "figures": ["results/figures/benchmark_<...>.png", ...]}

``ratio`` is ``peer_seconds / ours_seconds`` (above 1: irlbook is faster). Times are medians over
repeats; peer and irlbook are timed alternately in the same process, so that a change in the load
of the machine hits both. ``tests/test_benchmarks_schema.py`` checks every record against this.
"""

from __future__ import annotations

import os
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
CASE_KEYS = ("case", "states", "actions", "horizon", "sparse", "peer_seconds", "ours_seconds", "ratio",
             "max_abs_diff")
OPTIONAL_CASE_KEYS = ("torch_cpu_seconds", "torch_cuda_seconds", "peak_memory_mb", "floor_seconds")


def median_seconds(fn, repeats: int) -> float:
    """Median wall-clock seconds of ``repeats`` calls of ``fn()``."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return float(np.median(times))


def side_by_side(fns: dict, repeats: int | None = None, budget_seconds: float = 4.0, min_repeats: int = 3,
                 max_repeats: int = 31) -> dict:
    """Median seconds of each function in ``fns`` (name -> callable), called in turn (a, b, a, b, ...), so
    that both see the same load; one untimed warm-up call each first. ``repeats`` rounds, or (None) as many
    as fit in ``budget_seconds`` at the warm-up's pace, between ``min_repeats`` and ``max_repeats``: many
    rounds for millisecond cases, whose median a shared machine otherwise shifts, few for slow ones."""
    start = time.perf_counter()
    for fn in fns.values():
        fn()
    if repeats is None:
        per_round = max(time.perf_counter() - start, 1e-9)
        repeats = int(min(max_repeats, max(min_repeats, budget_seconds // per_round)))
    times = {name: [] for name in fns}
    for _ in range(repeats):
        for name, fn in fns.items():
            start = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - start)
    return {name: float(np.median(t)) for name, t in times.items()}


def peak_memory_mb(fn) -> float:
    """Peak of the memory allocated (numpy arrays included, through ``tracemalloc``) while ``fn()`` runs,
    above what was allocated before it, in MiB. Its inputs (the MDP) are not counted; its outputs are."""
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        base = tracemalloc.get_traced_memory()[0]
        fn()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return (peak - base) / 2**20


def growth_exponent(states, seconds) -> float | None:
    """Least-squares slope of ``log(seconds)`` against ``log(states)``: time grows like ``S^slope``."""
    pairs = [(s, t) for s, t in zip(states, seconds, strict=True) if t is not None]
    if len(pairs) < 2:
        return None
    x, y = np.log([p[0] for p in pairs]), np.log([p[1] for p in pairs])
    return float(np.polyfit(x, y, 1)[0])


def machine_note() -> dict:
    """CPU affinity, BLAS threads and load averages at the time of the run, as scalars (a shared machine is
    noisy: the load says how noisy)."""
    load = os.getloadavg()
    return {"cpu_affinity": ",".join(map(str, sorted(os.sched_getaffinity(0)))),
            "blas_threads": os.environ.get("OPENBLAS_NUM_THREADS", "unset"),
            "load_average_1min": round(load[0], 2), "load_average_5min": round(load[1], 2)}


def check_values(values: dict) -> None:
    """Raise ``ValueError`` when ``values`` does not follow the record layout of this module's docstring."""
    for key, kind in (("title", str), ("peer", str), ("cases", list), ("figures", list)):
        if not isinstance(values.get(key), kind):
            raise ValueError(f"values[{key!r}] must be a {kind.__name__}")
    for case in values["cases"]:
        missing = [k for k in CASE_KEYS if k not in case]
        extra = [k for k in case if k not in CASE_KEYS + OPTIONAL_CASE_KEYS]
        if missing or extra:
            raise ValueError(f"case {case.get('case')!r}: missing {missing}, unknown {extra}")
        if case["peer_seconds"] is not None and case["ratio"] is not None:
            if not np.isclose(case["ratio"], case["peer_seconds"] / case["ours_seconds"]):
                raise ValueError(f"case {case['case']!r}: ratio is not peer_seconds / ours_seconds")
    for figure in values["figures"]:
        if not (figure.startswith("results/figures/benchmark_") and figure.endswith(".png")):
            raise ValueError(f"figure {figure!r} must be results/figures/benchmark_*.png")


def case_record(case: str, mdp, ours_seconds: float, peer_seconds: float | None = None,
                max_abs_diff: float | None = None, **optional) -> dict:
    """One entry of ``values["cases"]`` for ``mdp`` (states, actions, horizon and storage read from it)."""
    record = {"case": case, "states": int(mdp.n_states), "actions": int(mdp.n_actions), "horizon": int(mdp.horizon),
              "sparse": bool(mdp.is_sparse), "peer_seconds": peer_seconds, "ours_seconds": float(ours_seconds),
              "ratio": None if peer_seconds is None else float(peer_seconds / ours_seconds),
              "max_abs_diff": None if max_abs_diff is None else float(max_abs_diff)}
    record.update({k: (None if v is None else float(v)) for k, v in optional.items() if k in OPTIONAL_CASE_KEYS})
    return record


def save_benchmark(name: str, title: str, peer: str, cases: list, figures: list, growth: dict | None = None,
                   floor: dict | None = None) -> Path:
    """Check and write ``results/benchmark_<name>.json`` (see the module docstring); return its path."""
    from irlbook.book.records import save_result

    values = {"title": title, "peer": peer, "cases": cases, "figures": figures}
    if growth is not None:
        values["growth"] = growth
    if floor is not None:
        values["floor"] = floor
    check_values(values)
    command = "make bench (" + " ".join([Path(sys.argv[0]).name, *sys.argv[1:]]) + ")"
    return save_result(f"benchmark_{name}", values, seed=0, command=command)


def figure_path(stem: str) -> tuple[Path, str]:
    """``results/figures/benchmark_<stem>.png``: the absolute path and the path relative to the repository."""
    relative = f"results/figures/benchmark_{stem}.png"
    return ROOT / relative, relative


def save_plot(fig, stem: str) -> str:
    """Write ``fig`` to ``results/figures/benchmark_<stem>.png``; return the relative path for the record."""
    from irlbook.book.plotting import save_figure

    path, relative = figure_path(stem)
    save_figure(fig, path, dpi=120)
    return relative
