"""A seconds-long sweepable toy for the sweep runner's tests: a seeded Monte-Carlo estimate of pi, checkpointed
after every chunk of samples, and a second setting that depends on the first (it reads the first's estimate).

Not an experiment of the book; ``python -m irlbook.experiments sweep sweep_toy`` runs it.
"""

from __future__ import annotations

import json
import time
import zlib
from pathlib import Path

import numpy as np

#: setting -> (samples per chunk, chunks)
SETTINGS = {"small": {"chunk": 2_000, "chunks": 3}, "large": {"chunk": 20_000, "chunks": 3}}
SEEDS = [0, 1]
DEPENDS = {"large": "small"}


def run_job(setting: str, seed: int, checkpoint_dir, max_seconds=None):
    """Values of one job, or None when stopped by ``max_seconds`` (resumable from ``checkpoint_dir``)."""
    checkpoint_dir = Path(checkpoint_dir)
    params = SETTINGS[setting]
    state_file = checkpoint_dir / "state.json"
    if state_file.is_file():
        state = json.loads(state_file.read_text())
        rng = np.random.default_rng()
        rng.bit_generator.state = state["rng"]
    else:
        rng = np.random.default_rng([seed, zlib.crc32(setting.encode())])
        state = {"done": 0, "inside": 0}
    start = time.monotonic()
    while state["done"] < params["chunks"]:
        points = rng.uniform(-1, 1, size=(params["chunk"], 2))
        state["inside"] += int((np.sum(points ** 2, axis=1) <= 1).sum())
        state["done"] += 1
        state["rng"] = rng.bit_generator.state
        state_file.write_text(json.dumps(state))
        if max_seconds is not None and time.monotonic() - start >= max_seconds and state["done"] < params["chunks"]:
            return None
    estimate = 4 * state["inside"] / (params["chunk"] * params["chunks"])
    (checkpoint_dir / "estimate.json").write_text(json.dumps(estimate))
    values = {"estimate": estimate, "samples": params["chunk"] * params["chunks"]}
    if setting in DEPENDS:
        before = checkpoint_dir.parent.parent / DEPENDS[setting] / checkpoint_dir.name / "estimate.json"
        values["change_from_small"] = estimate - json.loads(before.read_text())
    return values


def summarise(values: dict) -> dict:
    from .sweep import numeric_summary

    return numeric_summary(values)
