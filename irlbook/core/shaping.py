"""Reward transformations that leave optimal behaviour unchanged (chapter 2).

All rewards here are functions of a transition, ``R(s, a, s')``, stored as
arrays [S, A, S]; :func:`as_transition_reward` lifts [S] and [S, A] rewards.
The planners take expected rewards ``r(s, a) = sum_{s'} P(s'|s,a) R(s,a,s')``
(:func:`expected_reward`).
"""

from __future__ import annotations

import numpy as np

from .mdp import TabularMDP


def as_transition_reward(reward, n_states: int, n_actions: int) -> np.ndarray:
    """Lift a reward [S], [S, A] or [S, A, S] to ``R(s, a, s')`` [S, A, S]."""
    reward = np.asarray(reward, dtype=np.float64)
    if reward.shape == (n_states,):
        return np.broadcast_to(reward[:, None, None], (n_states, n_actions, n_states)).copy()
    if reward.shape == (n_states, n_actions):
        return np.broadcast_to(reward[:, :, None], (n_states, n_actions, n_states)).copy()
    if reward.shape == (n_states, n_actions, n_states):
        return reward.copy()
    raise ValueError(
        f"reward must have shape [S]=({n_states},), [S, A]=({n_states}, {n_actions}) or "
        f"[S, A, S]=({n_states}, {n_actions}, {n_states}), got {reward.shape}"
    )


def potential_shaping(potential, discount: float, n_actions: int) -> np.ndarray:
    """``F(s, a, s') = gamma * Phi(s') - Phi(s)``, shape [S, A, S] (Ng, Harada & Russell 1999)."""
    potential = np.asarray(potential, dtype=np.float64)
    if potential.ndim != 1 or not np.all(np.isfinite(potential)):
        raise ValueError(f"potential must be a finite array of shape [S], got shape {potential.shape}")
    shaping = discount * potential[None, None, :] - potential[:, None, None]
    return np.broadcast_to(shaping, (len(potential), n_actions, len(potential))).copy()


def expected_reward(mdp: TabularMDP, transition_reward) -> np.ndarray:
    """``r(s, a) = sum_{s'} P(s'|s,a) R(s,a,s')``, shape [S, A]."""
    R = as_transition_reward(transition_reward, mdp.n_states, mdp.n_actions)
    return np.einsum("sat,sat->sa", mdp.transitions, R)


def shaped_reward(mdp: TabularMDP, reward, potential) -> np.ndarray:
    """Expected shaped reward ``r(s,a) + gamma E[Phi(s')] - Phi(s)``, shape [S, A].

    Plan it with ``terminal_value = -potential``: the potential owed at the
    horizon is paid back, and every ``Q_t`` shifts by exactly ``-Phi(s)``.
    """
    base = expected_reward(mdp, reward)
    potential = np.asarray(potential, dtype=np.float64)
    if potential.shape != (mdp.n_states,):
        raise ValueError(f"potential must have shape [S] = ({mdp.n_states},), got {potential.shape}")
    return base + mdp.discount * mdp.expected_next(potential) - potential[:, None]
