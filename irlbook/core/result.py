"""The one shape every IRL algorithm returns."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np


@dataclass(kw_only=True)
class IRLResult:
    """Common base of every IRL result.

    reward
        The learned reward: an array ([S], [S, A] or [T, S, A]) for tabular algorithms, a callable
        ``reward(obs, actions, next_obs) -> [B]`` for deep ones.
    policy
        The policy that goes with it: ``pi_t(a|s)`` as an array [T, S, A] for tabular algorithms,
        the trained agent (with ``act(obs)``) for deep ones.
    history
        Per-iteration diagnostics, each a 1-D numpy array indexed by iteration
        (e.g. ``history["loss"]``, ``history["feature_gap"]``); empty if the algorithm has none.
    """

    reward: Any
    policy: Any
    history: dict[str, np.ndarray] = field(default_factory=dict)


def as_history(**series) -> dict[str, np.ndarray]:
    """A history dict from lists of per-iteration numbers: every value becomes a 1-D float64 array."""
    return {name: np.asarray(values, dtype=np.float64).reshape(-1) for name, values in series.items()}
