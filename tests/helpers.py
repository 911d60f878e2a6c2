"""Helpers the tests import, one way: ``from tests.helpers import ROOT, random_mdp``.

Fixtures live in ``conftest.py``; plain functions and constants live here (``tests`` is a package
and pytest puts the repository root on ``sys.path``, see ``pythonpath`` in ``pyproject.toml``).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import irlbook
from irlbook.core.mdp import random_mdp as _random_mdp

ROOT = Path(__file__).resolve().parent.parent


def random_mdp(seed=0, S=4, A=3, T=4, discount=1.0, *, sparsity=0.0, power=1, deterministic=False,
               initial="random") -> irlbook.TabularMDP:
    """:func:`irlbook.core.mdp.random_mdp` with the tests' short argument names and defaults
    (4 states, 3 actions, horizon 4)."""
    return _random_mdp(S, A, T, discount, sparsity, seed, power=power, deterministic=deterministic, initial=initial)


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
