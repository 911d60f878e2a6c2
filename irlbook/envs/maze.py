"""The shifting maze: a tabular version of Fu, Luo & Levine (2018)'s transfer task.

An ``N x N`` grid with deterministic compass moves and a "stay" action. A horizontal
wall between rows ``wall_row - 1`` and ``wall_row`` blocks every vertical move across
it except in the gap: the leftmost column (``gap="left"``, the training layout) or the
rightmost one (``gap="right"``, the test layout). Walls block moves between cells; no
cell is removed, so both layouts have the same states. The goal sits in the top row;
the true reward is state-only, the negative Euclidean distance to the goal (scaled),
as in the point-mass maze of Fu et al.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..core.mdp import TabularMDP
from ..validation import as_index_array, check_choice, check_int, check_positive
from .grid import ACTION_NAMES_5, MOVES_5, cell_coordinates, grid_successors

GAPS = ("left", "right")


@dataclass
class ShiftingMaze:
    """Builder for the shifting maze.

    size : grid side ``N``;  gap : "left" or "right";  wall_row : the wall lies just above
    this row (default ``N // 2 + 1``);  goal : ``(row, col)`` (default top middle)
    reward_scale : ``r(s) = -reward_scale * |cell(s) - goal|``;  horizon ``T``;  discount ``gamma``
    initial : "uniform" (every cell) or "bottom" (uniform over the bottom row)
    """

    size: int = 7
    gap: str = "left"
    wall_row: int | None = None
    goal: tuple | None = None
    reward_scale: float = 1.0
    horizon: int = 20
    discount: float = 0.95
    initial: str = "uniform"
    mdp: TabularMDP = field(init=False, repr=False)
    blocked: np.ndarray = field(init=False, repr=False)

    def __post_init__(self):
        self.gap = check_choice(self.gap, "gap", GAPS)
        self.size = check_int(self.size, "size", minimum=3)
        N = self.size
        self.wall_row = N // 2 + 1 if self.wall_row is None else check_int(self.wall_row, "wall_row", 1, N - 1)
        self.goal = ((0, N // 2) if self.goal is None
                     else tuple(int(x) for x in as_index_array(self.goal, "goal", N, shape=(2,))))
        self.reward_scale = check_positive(self.reward_scale, "reward_scale")
        self.initial = check_choice(self.initial, "initial", ("uniform", "bottom"))
        self.action_names = ACTION_NAMES_5
        next_states, probs = grid_successors(N, MOVES_5, 0.0)
        coords = cell_coordinates(N)
        rows, cols = coords[:, 0], coords[:, 1]
        gap_col = 0 if self.gap == "left" else N - 1
        up, down = ACTION_NAMES_5.index("up"), ACTION_NAMES_5.index("down")
        # blocked[s, a]: the move would cross the wall
        self.blocked = np.zeros((N * N, len(MOVES_5)), dtype=bool)
        self.blocked[:, up] = (rows == self.wall_row) & (cols != gap_col)
        self.blocked[:, down] = (rows == self.wall_row - 1) & (cols != gap_col)
        states = np.arange(N * N)
        next_states[self.blocked] = np.repeat(states[:, None], len(MOVES_5), axis=1)[self.blocked][:, None]
        if self.initial == "uniform":
            initial = np.full(N * N, 1.0 / (N * N))
        else:
            initial = (rows == N - 1) / N
        self.mdp = TabularMDP.from_sparse(next_states, probs, initial, self.horizon, self.discount)

    @property
    def reward(self) -> np.ndarray:
        """True state-only reward ``-reward_scale * |cell - goal|_2``, shape [S]."""
        coords = cell_coordinates(self.size)
        return -self.reward_scale * np.linalg.norm(coords - np.asarray(self.goal), axis=1)

    def shifted(self, gap: str | None = None) -> ShiftingMaze:
        """The same maze with the gap on the other side (or on ``gap``)."""
        other = {"left": "right", "right": "left"}[self.gap] if gap is None else gap
        return ShiftingMaze(size=self.size, gap=other, wall_row=self.wall_row, goal=self.goal,
                            reward_scale=self.reward_scale, horizon=self.horizon, discount=self.discount,
                            initial=self.initial)

    def draw_wall(self, ax, color: str = "k", linewidth: float = 4.0):
        """Draw the wall on a grid image (cells at integer coordinates, as in ``irlbook.book.plotting``)."""
        y = self.wall_row - 0.5
        gap_col = 0 if self.gap == "left" else self.size - 1
        for col in range(self.size):
            if col != gap_col:
                ax.plot([col - 0.5, col + 0.5], [y, y], color=color, linewidth=linewidth, solid_capstyle="butt")
        ax.plot(self.goal[1], self.goal[0], marker="*", color="gold", markersize=14, markeredgecolor="k")
        return ax
