"""Helpers the tests import, one way: ``from tests.helpers import ROOT, random_mdp``.

Fixtures live in ``conftest.py``; plain functions and constants live here (``tests`` is a package
and pytest puts the repository root on ``sys.path``, see ``pythonpath`` in ``pyproject.toml``).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np

import irlbook

ROOT = Path(__file__).resolve().parent.parent


def random_mdp(seed=0, S=4, A=3, T=4, discount=1.0, *, sparsity=0.0, power=1, deterministic=False,
               initial="random") -> irlbook.TabularMDP:
    """A small random :class:`irlbook.TabularMDP` drawn from ``seed``, the tests' one builder.

    ``seed`` may be a ``numpy.random.Generator``: the MDP is drawn from it and the caller keeps
    drawing (features, rewards) from the same stream.

    Transitions: ``deterministic`` gives each (s, a) one successor drawn uniformly; otherwise
    P(s'|s,a) is proportional to ``U(0,1) ** power`` (a larger ``power`` gives more peaked rows), and
    ``sparsity`` zeroes that fraction of the entries, keeping at least one successor per row.
    ``initial``: ``"random"`` (uniform draws, normalised), ``"uniform"``, or a state index.
    """
    rng = np.random.default_rng(seed)
    if deterministic:
        P = np.eye(S)[rng.integers(S, size=(S, A))]
    else:
        P = rng.random((S, A, S)) ** power
        if sparsity:
            mask = rng.random((S, A, S)) < sparsity
            mask[np.arange(S)[:, None], np.arange(A)[None, :], rng.integers(S, size=(S, A))] = False
            P[mask] = 0.0
        P /= P.sum(axis=-1, keepdims=True)
    if isinstance(initial, str) and initial == "random":
        start = rng.random(S)
        start /= start.sum()
    elif isinstance(initial, str) and initial == "uniform":
        start = np.full(S, 1 / S)
    else:
        start = np.eye(S)[initial]
    return irlbook.TabularMDP(P, start, T, discount)


def make_venv(path: Path, *requirements: str) -> Path:
    """A fresh virtual environment (no system site-packages) with ``requirements`` installed
    under the repository's pins; returns its python."""
    subprocess.run([sys.executable, "-m", "venv", str(path)], check=True)
    python = path / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
         "-c", str(ROOT / "constraints.txt"), *requirements],
        check=True,
        cwd=path,
    )
    return python
