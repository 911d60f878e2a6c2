"""Shared fixtures: the repository root, the built book, and one wheel per test session."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from irlbook.core.mdp import random_mdp as _random_mdp

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
    """:func:`irlbook.core.mdp.random_mdp` with the tests' short argument names."""
    return _random_mdp(S, A, T, discount, sparsity, seed)


@pytest.fixture
def tiny_mdp():
    return random_mdp()
