"""The macrocell gridworld of Abbeel & Ng (2004).

An ``N x N`` grid split into ``M x M`` non-overlapping macrocells (``N/M`` cells a
side each). The features are the macrocell indicators, ``f(s) in {0,1}^{M^2}``;
the true reward ``r(s) = w* . f(s)`` puts weight on a few macrocells only
(Abbeel & Ng: 128 x 128 grid, 64 macrocells, 30% action noise, gamma = 0.99).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..core.mdp import TabularMDP
from ..validation import (
    as_array,
    check_bool,
    check_choice,
    check_positive_int,
    check_probability,
    check_seed,
    check_size,
)
from .grid import ACTION_NAMES_4, ACTION_NAMES_5, MOVES_4, MOVES_5, grid_successors


@dataclass
class GridWorld:
    """Builder for the macrocell gridworld.

    size : grid side ``N`` (up to 128 and beyond);  macrocells : ``M`` macrocells a side
    noise : probability that a uniformly random action replaces the chosen one
    stay_action : add a fifth "stay" action;  horizon ``T``;  discount ``gamma``
    n_rewarding : number of macrocells with non-zero true weight (drawn with ``seed``)
    reward_weights : optional explicit true weights [M^2] (overrides the random draw)
    initial : "uniform" or "corner" (state 0)
    """

    size: int = 32
    macrocells: int = 4
    noise: float = 0.3
    stay_action: bool = False
    horizon: int = 50
    discount: float = 0.99
    n_rewarding: int = 4
    seed: int = 0
    reward_weights: np.ndarray | None = None
    initial: str = "uniform"
    mdp: TabularMDP = field(init=False, repr=False)
    features: np.ndarray = field(init=False, repr=False)
    true_weights: np.ndarray = field(init=False, repr=False)

    def __post_init__(self):
        self.size = check_positive_int(self.size, "size")
        self.macrocells = check_positive_int(self.macrocells, "macrocells")
        if self.size % self.macrocells:
            raise ValueError(f"macrocells must divide size: size={self.size}, macrocells={self.macrocells}")
        self.noise = check_probability(self.noise, "noise")
        self.stay_action = check_bool(self.stay_action, "stay_action")
        self.n_rewarding = check_positive_int(self.n_rewarding, "n_rewarding")
        self.seed = check_seed(self.seed)
        self.initial = check_choice(self.initial, "initial", ("uniform", "corner"))
        moves = MOVES_5 if self.stay_action else MOVES_4
        self.action_names = ACTION_NAMES_5 if self.stay_action else ACTION_NAMES_4
        next_states, probs = grid_successors(self.size, moves, self.noise)
        S = self.size * self.size
        if self.initial == "uniform":
            initial = np.full(S, 1.0 / S)
        else:
            initial = np.zeros(S)
            initial[0] = 1.0
        self.mdp = TabularMDP.from_sparse(next_states, probs, initial, self.horizon, self.discount)
        self.features = macrocell_features(self.size, self.macrocells)
        n_cells = self.macrocells ** 2
        if self.reward_weights is not None:
            weights = as_array(self.reward_weights, "reward_weights", shape=(n_cells,))
        else:
            rng = np.random.default_rng(self.seed)
            weights = np.zeros(n_cells)
            chosen = rng.choice(n_cells, size=min(self.n_rewarding, n_cells), replace=False)
            weights[chosen] = rng.random(len(chosen))
            weights /= np.abs(weights).sum()  # |w*|_1 = 1, as in Abbeel & Ng
        self.true_weights = weights

    @property
    def reward(self) -> np.ndarray:
        """True reward ``r(s) = f(s) . w*``, shape [S]."""
        return self.features @ self.true_weights


def macrocell_features(size: int, macrocells: int) -> np.ndarray:
    """One-hot macrocell membership, shape [size^2, macrocells^2]."""
    size = check_positive_int(size, "size")
    macrocells = check_positive_int(macrocells, "macrocells")
    if size % macrocells:
        raise ValueError(f"macrocells must divide size: size={size}, macrocells={macrocells}")
    check_size((size * size, macrocells * macrocells), "macrocell_features")
    side = size // macrocells
    rows, cols = np.divmod(np.arange(size * size), size)
    index = (rows // side) * macrocells + cols // side
    features = np.zeros((size * size, macrocells * macrocells))
    features[np.arange(size * size), index] = 1.0
    return features
