"""Shared grid dynamics: N x N cells, compass moves, action noise.

State ``s = row * N + col``. A move into the border leaves the agent in place.
With probability ``noise`` the intended action is replaced by one drawn
uniformly from *all* actions (Abbeel & Ng 2004; Levine et al. 2011), so each
``(s, a)`` has at most ``A`` successors and the MDP is stored sparse.
"""

from __future__ import annotations

import numpy as np

from ..validation import as_array, check_positive_int, check_probability, check_size

# (d_row, d_col) for each action
MOVES_4 = np.array([(-1, 0), (0, 1), (1, 0), (0, -1)])            # up, right, down, left
MOVES_5 = np.array([(0, 0), (-1, 0), (0, 1), (1, 0), (0, -1)])    # stay, up, right, down, left
ACTION_NAMES_4 = ("up", "right", "down", "left")
ACTION_NAMES_5 = ("stay", "up", "right", "down", "left")


def grid_successors(size: int, moves: np.ndarray, noise: float):
    """Successor lists of a noisy grid.

    Returns ``next_states`` int [S, A, A] and ``probs`` [S, A, A]: entry ``k`` is
    where action ``k`` leads, taken with probability ``1 - noise + noise/A`` if
    ``k`` is the intended action and ``noise/A`` otherwise.
    """
    size = check_positive_int(size, "size")
    noise = check_probability(noise, "noise")
    moves = as_array(moves, "moves", shape=(None, 2)).astype(np.int64)
    n_actions = len(moves)
    check_size((size * size, n_actions, n_actions), "the grid's successor lists (size^2 * A^2)")
    rows, cols = np.divmod(np.arange(size * size), size)
    new_rows = np.clip(rows[:, None] + moves[None, :, 0], 0, size - 1)
    new_cols = np.clip(cols[:, None] + moves[None, :, 1], 0, size - 1)
    landing = new_rows * size + new_cols                                  # [S, A]
    next_states = np.broadcast_to(landing[:, None, :], (size * size, n_actions, n_actions)).copy()
    probs = np.full((size * size, n_actions, n_actions), noise / n_actions)
    probs[:, np.arange(n_actions), np.arange(n_actions)] += 1.0 - noise
    return next_states, probs


def cell_coordinates(size: int) -> np.ndarray:
    """``(row, col)`` of every state, int [S, 2]."""
    size = check_positive_int(size, "size")
    rows, cols = np.divmod(np.arange(size * size), size)
    return np.stack([rows, cols], axis=1)
