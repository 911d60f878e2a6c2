"""irlbook builds as a wheel and an sdist, and the wheel works in a clean environment."""

from __future__ import annotations

import re
import subprocess
import tarfile
import zipfile

import pytest
import tomllib

from tests.helpers import ROOT, make_venv

pytestmark = pytest.mark.slow

PUBLIC_API = [
    "TabularMDP", "soft_value_iteration", "value_iteration", "state_visitation", "sample_trajectories", "maxent_irl",
]


def project_version() -> str:
    text = (ROOT / "irlbook" / "__init__.py").read_text()
    return re.search(r'^__version__ = "([^"]+)"', text, re.M).group(1)


def test_metadata_is_complete():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    for key in ("name", "description", "readme", "license", "authors", "classifiers", "urls", "requires-python"):
        assert project.get(key), f"pyproject.toml [project] lacks {key}"
    assert set(project["optional-dependencies"]) >= {"notebooks", "test", "book", "all"}
    assert "torch==2.13.0\n" in (ROOT / "constraints.txt").read_text()
    changelog = (ROOT / "CHANGELOG.md").read_text()
    assert f"## [{project_version()}]" in changelog, "CHANGELOG.md has no entry for the current version"
    citation = (ROOT / "CITATION.cff").read_text()
    assert f'version: "{project_version()}"' in citation


def test_wheel_and_sdist_contents(built_dist):
    wheel, sdist = built_dist["wheel"], built_dist["sdist"]
    assert wheel.name.startswith(f"irlbook-{project_version()}-")
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        metadata = archive.read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
    assert "irlbook/__init__.py" in names and "irlbook/tabular/maxent.py" in names
    assert not [n for n in names if n.startswith(("tests/", "book/", "notebooks/", "benchmarks/", "results/"))]
    # the stored demonstrations ship as package data (irlbook.book.presets.expert_demos reads them), and the
    # experiments are a package, so a wheel or Colab install has both
    for preset in ("cartpole", "pendulum"):
        for suffix in (".npz", ".json"):
            assert f"irlbook/book/data/demos/{preset}{suffix}" in names, names
    assert "irlbook/experiments/__main__.py" in names and "irlbook/experiments/gcl_pendulum.py" in names
    assert any(n.endswith("LICENSE") and ".dist-info/" in n for n in names), names
    assert f"Version: {project_version()}" in metadata
    assert "Provides-Extra: notebooks" in metadata
    with tarfile.open(sdist) as archive:
        members = {m.split("/", 1)[1] for m in archive.getnames() if "/" in m}
    for required in ("LICENSE", "LICENSE-CONTENT", "pyproject.toml", "README.md", "CHANGELOG.md", "CITATION.cff",
                     "irlbook/__init__.py"):
        assert required in members, f"sdist lacks {required}"


@pytest.fixture(scope="module")
def wheel_python(built_dist, tmp_path_factory):
    """A clean venv with only the wheel and its base dependencies."""
    return make_venv(tmp_path_factory.mktemp("wheel-venv") / "venv", str(built_dist["wheel"]))


def test_installed_wheel_imports_public_api(wheel_python, tmp_path):
    script = f"""
import numpy as np
import irlbook
from irlbook import {", ".join(PUBLIC_API)}
print(irlbook.__file__)
print(irlbook.__version__)
mdp = TabularMDP(np.full((2, 2, 2), 0.5), np.array([1.0, 0.0]), horizon=3)
soft = soft_value_iteration(mdp, np.array([0.0, 1.0]))
visits = state_visitation(mdp, soft.policy)
assert visits.shape == (3, 2) and np.allclose(visits.sum(axis=1), 1.0)
states, actions = sample_trajectories(mdp, soft.policy, n=4, seed=0)
assert states.shape == (4, 3)
"""
    out = subprocess.run([str(wheel_python), "-c", script], cwd=tmp_path, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    location, version = out.stdout.split()
    assert "site-packages" in location and not location.startswith(str(ROOT)), location
    assert version == project_version()
    # The stored demonstrations are found in the installed package, not in a checkout's results/.
    demos = subprocess.run([str(wheel_python), "-c", "from importlib.resources import files; "
                            "d = files('irlbook.book').joinpath('data', 'demos'); "
                            "print(d.joinpath('cartpole.npz').is_file(), d.joinpath('pendulum.json').is_file())"],
                           cwd=tmp_path, capture_output=True, text=True)
    assert demos.stdout.split() == ["True", "True"], demos.stderr
    # The experiments' registry lists them without torch.
    listing = subprocess.run([str(wheel_python), "-m", "irlbook.experiments", "--list"], cwd=tmp_path,
                             capture_output=True, text=True)
    assert listing.returncode == 0 and "gcl_pendulum" in listing.stdout, listing.stderr
    # The base install has no heavy optional dependencies.
    missing = subprocess.run([str(wheel_python), "-c", "import torch"], cwd=tmp_path, capture_output=True)
    assert missing.returncode != 0, "torch should not be a base dependency"
