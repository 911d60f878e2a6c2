"""Shared fixtures: the repository root, the built book, and one wheel per test session."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import irlbook

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("MUJOCO_GL", "egl")


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def built_dist(tmp_path_factory) -> dict:
    """``python -m build`` of this checkout (wheel and sdist), built once per session."""
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--sdist", "--outdir", str(out), str(ROOT)],
        check=True,
        capture_output=True,
        text=True,
    )
    wheels = sorted(out.glob("irlbook-*.whl"))
    sdists = sorted(out.glob("irlbook-*.tar.gz"))
    assert len(wheels) == 1 and len(sdists) == 1, sorted(p.name for p in out.iterdir())
    return {"wheel": wheels[0], "sdist": sdists[0]}


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



def random_mdp(seed=0, S=4, A=3, T=4, discount=1.0, sparsity=0.0):
    """A random dense MDP; ``sparsity`` zeroes that fraction of transitions (keeping one per row)."""
    rng = np.random.default_rng(seed)
    P = rng.random((S, A, S))
    if sparsity:
        mask = rng.random((S, A, S)) < sparsity
        mask[np.arange(S)[:, None], np.arange(A)[None, :], rng.integers(S, size=(S, A))] = False
        P[mask] = 0.0
    P /= P.sum(axis=-1, keepdims=True)
    initial = rng.random(S)
    return irlbook.TabularMDP(P, initial / initial.sum(), T, discount)


@pytest.fixture
def tiny_mdp():
    return random_mdp()
