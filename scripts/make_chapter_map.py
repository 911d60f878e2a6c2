"""Draw the book's chapter map (book/figures/chapter_map.png) for the landing page.

Run: python scripts/make_chapter_map.py [output.png]
tests/test_figures_up_to_date.py checks the committed PNG matches what this script draws.
"""

from __future__ import annotations

import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch  # noqa: E402

from irlbook.book.plotting import save_figure  # noqa: E402

# (number, title, one line on what it adds, column, row)
CHAPTERS = [
    ("0", "Why infer rewards?", "intent vs imitation, transfer", 0, 0),
    ("1", "Soft optimality", "messages, soft Q/V, visitation", 0, 1),
    ("2", "IRL is ill-posed", "shaping, scaling, EPIC", 0, 2),
    ("3", "Feature matching\n& max margin", "Abbeel & Ng, MMP", 1, 0),
    ("4", "Maximum-entropy IRL", "exact forward-backward, deep MaxEnt", 1, 1),
    ("5", "Entropy-likelihood\nduality", "max entropy = max likelihood", 1, 2),
    ("6", "Sampling-based MaxEnt", "importance sampling, GCL", 2, 0),
    ("7", "IRL as a GAN", "GAN-GCL, GAIL, AIRL, transfer", 2, 1),
    ("A", "Assignments", "graded exercises", 2, 2),
]
EDGES = [("0", "1"), ("1", "2"), ("1", "4"), ("2", "3"), ("3", "4"), ("4", "5"), ("4", "6"), ("6", "7"), ("5", "7")]
COLUMN_TITLES = ["Foundations", "Tabular IRL", "Deep & adversarial IRL"]
COLOURS = ["#dbe9f6", "#fde5cc", "#e0f0dc"]
WIDTH, HEIGHT, DX, DY = 2.6, 0.95, 3.3, 1.45


def centre(column: int, row: int) -> tuple[float, float]:
    return column * DX, -row * DY


def draw(path: Path) -> None:
    plt.rcParams.update({"font.family": "DejaVu Sans", "svg.hashsalt": "irlbook"})
    fig, ax = plt.subplots(figsize=(10, 5.2), dpi=100)
    positions = {}
    for number, title, line, column, row in CHAPTERS:
        x, y = centre(column, row)
        positions[number] = (x, y)
        ax.add_patch(
            FancyBboxPatch(
                (x - WIDTH / 2, y - HEIGHT / 2), WIDTH, HEIGHT,
                boxstyle="round,pad=0.02,rounding_size=0.12",
                facecolor=COLOURS[column], edgecolor="#333333", linewidth=1.2,
            )
        )
        label = f"{number}. {title}" if number != "A" else title
        ax.text(x, y + 0.13, label, ha="center", va="center", fontsize=10.5, fontweight="bold")
        ax.text(x, y - 0.3, line, ha="center", va="center", fontsize=8.5, color="#333333")
    for source, target in EDGES:
        (x0, y0), (x1, y1) = positions[source], positions[target]
        if x0 == x1:
            start, end = (x0, y0 - HEIGHT / 2), (x1, y1 + HEIGHT / 2)
        else:
            start, end = (x0 + WIDTH / 2, y0), (x1 - WIDTH / 2, y1)
        ax.add_patch(FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=14, color="#555555", linewidth=1.1))
    for column, title in enumerate(COLUMN_TITLES):
        ax.text(column * DX, 0.95, title, ha="center", va="center", fontsize=12, color="#222222")
    ax.set_xlim(-WIDTH / 2 - 0.2, 2 * DX + WIDTH / 2 + 0.2)
    ax.set_ylim(-2 * DY - HEIGHT / 2 - 0.2, 1.25)
    ax.set_aspect("equal")
    ax.axis("off")
    save_figure(fig, path)


if __name__ == "__main__":
    root = Path(__file__).resolve().parent.parent
    draw(Path(sys.argv[1]) if len(sys.argv) > 1 else root / "book" / "figures" / "chapter_map.png")
