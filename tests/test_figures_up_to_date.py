"""The committed figures are what their scripts draw now."""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest
from matplotlib.image import imread

from tests.helpers import ROOT

FIGURES = [
    ("scripts/make_chapter_map.py", "book/figures/chapter_map.png"),
    ("scripts/make_readme_figure.py", "book/figures/readme.png"),
]


@pytest.mark.parametrize("script, figure", FIGURES, ids=[f for _, f in FIGURES])
def test_figure_is_up_to_date(script, figure, tmp_path):
    spec = importlib.util.spec_from_file_location(f"figure_script_{tmp_path.name}", ROOT / script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    fresh = tmp_path / "fresh.png"
    module.draw(fresh)
    committed, redrawn = imread(ROOT / figure), imread(fresh)
    assert committed.shape == redrawn.shape, f"{figure} is stale: run python {script}"
    assert np.abs(committed - redrawn).max() < 0.02, f"{figure} is stale: run python {script}"
