"""Shared fixtures: the repository root, one wheel and sdist per test session.

Plain helpers (``ROOT``, ``random_mdp``, ``make_venv``) live in ``tests/helpers.py``."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import ROOT

os.environ.setdefault("MUJOCO_GL", "egl")


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def built_dist(tmp_path_factory, worker_id) -> dict:
    """``python -m build`` of this checkout (wheel and sdist), built once per test run.

    Under pytest-xdist every worker asks for it; the first one builds (``build`` writes into the
    checkout, so two builds at once would race) and the others wait on the lock and reuse its files."""
    from filelock import FileLock

    shared = tmp_path_factory.getbasetemp() if worker_id == "master" else tmp_path_factory.getbasetemp().parent
    out = shared / "dist"
    with FileLock(str(shared / "dist.lock")):
        if not any(out.glob("irlbook-*.whl")):
            out.mkdir(exist_ok=True)
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
