"""Objectworld (Levine, Popovic & Koltun 2011).

An ``N x N`` grid with 5 actions (stay and four moves) that succeed with
probability 0.7 (otherwise a uniformly random action is taken). Objects are
scattered over cells, each with an *inner* and an *outer* colour out of ``C``.
Continuous features: for every colour, the Euclidean distance to the nearest
object with that inner colour and with that outer colour (``2C`` features).
Discrete features: indicators "that distance is below d" for ``d = 1..N``.
The true reward depends on the first two colours only, non-linearly:
``+1`` within distance 3 of outer colour 0 *and* distance 2 of outer colour 1,
``-1`` within distance 3 of colour 0 only, ``0`` elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..core.mdp import TabularMDP
from ..validation import (
    check_int,
    check_positive_int,
    check_probability,
    check_seed,
    check_size,
)
from .grid import ACTION_NAMES_5, MOVES_5, cell_coordinates, grid_successors


@dataclass
class ObjectWorld:
    """Builder for an objectworld.

    size ``N``, n_objects, n_colours ``C`` (>= 2), success probability (0.7),
    horizon ``T``, discount ``gamma``, seed for the object placement.
    """

    size: int = 32
    n_objects: int = 50
    n_colours: int = 2
    success: float = 0.7
    horizon: int = 8
    discount: float = 0.9
    seed: int = 0
    mdp: TabularMDP = field(init=False, repr=False)

    def __post_init__(self):
        self.size = check_positive_int(self.size, "size")
        self.n_colours = check_int(self.n_colours, "n_colours (two colours define the reward)", minimum=2)
        S = self.size * self.size
        self.n_objects = check_int(self.n_objects, "n_objects", minimum=1, maximum=S)
        self.success = check_probability(self.success, "success")
        self.seed = check_seed(self.seed)
        check_size((S, self.n_objects), "the object distances (size^2 * n_objects)")
        check_size((S, 2 * self.n_colours * self.size), "the discrete features (size^2 * 2 n_colours * size)")
        # "70% success": the remaining 30% is spread uniformly over the 5 actions.
        noise = (1.0 - self.success) * len(MOVES_5) / (len(MOVES_5) - 1)
        next_states, probs = grid_successors(self.size, MOVES_5, min(noise, 1.0))
        self.action_names = ACTION_NAMES_5
        self.mdp = TabularMDP.from_sparse(next_states, probs, np.full(S, 1.0 / S), self.horizon, self.discount)

        rng = np.random.default_rng(self.seed)
        self.object_cells = rng.choice(S, size=self.n_objects, replace=False)
        self.inner_colours = rng.integers(self.n_colours, size=self.n_objects)
        self.outer_colours = rng.integers(self.n_colours, size=self.n_objects)
        coords = cell_coordinates(self.size).astype(np.float64)
        distance = np.linalg.norm(coords[:, None, :] - coords[self.object_cells][None, :, :], axis=-1)  # [S, O]
        inner = np.full((S, self.n_colours), np.inf)
        outer = np.full((S, self.n_colours), np.inf)
        for c in range(self.n_colours):
            if np.any(self.inner_colours == c):
                inner[:, c] = distance[:, self.inner_colours == c].min(axis=1)
            if np.any(self.outer_colours == c):
                outer[:, c] = distance[:, self.outer_colours == c].min(axis=1)
        # A colour with no object gets the largest possible distance, not inf.
        far = np.sqrt(2.0) * self.size
        self.inner_distance = np.minimum(inner, far)
        self.outer_distance = np.minimum(outer, far)

    @property
    def continuous_features(self) -> np.ndarray:
        """Distances to the nearest object of each inner and outer colour, [S, 2C]."""
        return np.concatenate([self.inner_distance, self.outer_distance], axis=1)

    @property
    def discrete_features(self) -> np.ndarray:
        """Indicators ``distance < d`` for ``d = 1..N``, [S, 2C * N] (binary)."""
        thresholds = np.arange(1, self.size + 1)
        distances = self.continuous_features
        return (distances[:, :, None] < thresholds[None, None, :]).reshape(len(distances), -1).astype(np.float64)

    @property
    def reward(self) -> np.ndarray:
        """The true, non-linear reward [S] in ``{-1, 0, +1}``."""
        near_0 = self.outer_distance[:, 0] <= 3
        near_1 = self.outer_distance[:, 1] <= 2
        return np.where(near_0 & near_1, 1.0, np.where(near_0, -1.0, 0.0))
