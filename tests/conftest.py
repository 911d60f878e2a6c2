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

