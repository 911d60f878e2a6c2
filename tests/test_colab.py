"""The notebooks' Colab path, simulated without Colab and without mocks.

In Colab, a notebook's first cell installs ``irlbook[notebooks]`` from the repository. Here a
fresh virtual environment that lacks irlbook gets the wheel built from this checkout with its
``notebooks`` extra instead (standing in for the network install), and a notebook runs top to
bottom in a kernel of that environment, outside the repository. Outside Colab the setup cell
must do nothing: it runs, prints nothing and installs nothing.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from pathlib import Path

import nbformat
import pytest

from tests.helpers import ROOT, make_venv

pytestmark = pytest.mark.slow

SETUP_CELL = '''# Setup: in Colab, install the book's library; elsewhere this cell does nothing.
import sys
if "google.colab" in sys.modules:
    %pip install --quiet "irlbook[notebooks] @ git+https://github.com/irlbook/irlbook@main"'''
NOTEBOOK = ROOT / "notebooks" / "01_soft_optimality.ipynb"
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))

RUNNER = r"""
import json, sys, time
import nbformat
from nbclient import NotebookClient
path, out = sys.argv[1], sys.argv[2]
nb = nbformat.read(path, as_version=4)
start = time.perf_counter()
NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": "."}}).execute()
nbformat.write(nb, out)
print(json.dumps({"seconds": time.perf_counter() - start}))
"""

PROBE = '''import sys, irlbook
print(json.dumps({"colab": "google.colab" in sys.modules, "irlbook": irlbook.__file__,
                  "python": sys.executable}))'''


def first_code_cell(nb):
    return next(cell for cell in nb.cells if cell.cell_type == "code")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_setup_cell_is_the_canonical_one(path):
    nb = nbformat.read(path, as_version=4)
    assert first_code_cell(nb).source.strip() == SETUP_CELL, f"{path.name}: first code cell is not the setup cell"


@pytest.fixture(scope="module")
def colab_python(built_dist, tmp_path_factory):
    """A fresh venv with the wheel, its notebooks extra and a Jupyter kernel (what Colab has)."""
    return make_venv(
        tmp_path_factory.mktemp("colab-venv") / "venv",
        f"{built_dist['wheel']}[notebooks]", "ipykernel", "nbclient",
    )


def test_fresh_venv_lacks_irlbook_until_installed(tmp_path):
    python = tmp_path / "bare" / "bin" / "python"
    base = "python3.11" if shutil.which("python3.11") else "python3"
    subprocess.run([base, "-m", "venv", str(tmp_path / "bare")], check=True)
    out = subprocess.run([str(python), "-c", "import irlbook"], cwd=tmp_path, capture_output=True)
    assert out.returncode != 0, "a fresh environment should not see irlbook"


def test_notebook_runs_from_the_wheel_like_in_colab(colab_python, tmp_path):
    if not NOTEBOOK.exists():
        pytest.skip(f"{NOTEBOOK.relative_to(ROOT)} does not exist yet")
    nb = nbformat.read(NOTEBOOK, as_version=4)
    setup = first_code_cell(nb)
    assert setup.source.strip() == SETUP_CELL
    # Run a copy outside the repository, so only the installed wheel can provide irlbook.
    nb.cells.append(nbformat.v4.new_code_cell("import json\n" + PROBE))
    source, executed = tmp_path / NOTEBOOK.name, tmp_path / f"executed_{NOTEBOOK.name}"
    nbformat.write(nb, source)
    runner = tmp_path / "run_notebook.py"
    runner.write_text(RUNNER)
    start = time.perf_counter()
    out = subprocess.run(
        [str(colab_python), str(runner), str(source), str(executed)],
        cwd=tmp_path, capture_output=True, text=True, env={**_env(), "IRLBOOK_PROFILE": "quick"},
    )
    elapsed = time.perf_counter() - start
    assert out.returncode == 0, out.stderr[-4000:]
    result = nbformat.read(executed, as_version=4)
    # The setup cell did nothing: no output, no install.
    assert first_code_cell(result).outputs == []
    probe = json.loads(result.cells[-1].outputs[0]["text"])
    assert probe["colab"] is False
    assert "site-packages" in probe["irlbook"] and not probe["irlbook"].startswith(str(ROOT)), probe
    assert Path(probe["python"]).parent == colab_python.parent, probe
    print(f"Colab simulation: {NOTEBOOK.name} ran in {elapsed:.1f} s")


def _env():
    import os

    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env.setdefault("MUJOCO_GL", "egl")
    return env
