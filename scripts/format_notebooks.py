"""Format the code cells of the chapter notebooks to the page's column with ruff.

    python scripts/format_notebooks.py [notebooks/01_soft_optimality.ipynb ...]

Code cells are formatted at 86 characters, the width of a code block at 1400 px, so no cell scrolls
sideways in the online book. The setup cell (the first code cell, with its ``%pip`` line) stays exactly
as ``tests/test_colab.py`` expects it; cells with other IPython magics are left alone. Outputs are not
touched (notebooks are stored without them).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import nbformat

LINE_LENGTH = 86
ROOT = Path(__file__).resolve().parent.parent


def format_source(source: str) -> str:
    """``source`` formatted by ``ruff format`` at :data:`LINE_LENGTH`; raises on a syntax error."""
    done = subprocess.run(
        [sys.executable, "-m", "ruff", "format", f"--line-length={LINE_LENGTH}", "--stdin-filename=cell.py", "-"],
        input=source,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.rstrip("\n")


def format_notebook(path: Path) -> int:
    """Format ``path`` in place; the number of cells that changed."""
    nb = nbformat.read(path, as_version=4)
    changed = 0
    code_cells = [cell for cell in nb.cells if cell.cell_type == "code"]
    for cell in code_cells[1:]:
        if any(line.lstrip().startswith(("%", "!")) for line in cell.source.splitlines()):
            continue
        new = format_source(cell.source)
        if cell.source.rstrip().endswith(";") and not new.endswith(";"):
            new += ";"  # a trailing semicolon hides the cell's value in Jupyter: keep it
        if new != cell.source:
            cell.source = new
            changed += 1
    if changed:
        nbformat.write(nb, path)
    return changed


def main(paths: list[str]) -> None:
    notebooks = [Path(p) for p in paths] or sorted((ROOT / "notebooks").glob("0*.ipynb"))
    for path in notebooks:
        print(f"{path.name}: {format_notebook(path)} cells reformatted")


if __name__ == "__main__":
    main(sys.argv[1:])
