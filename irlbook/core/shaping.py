"""Reward transformations that leave optimal behaviour unchanged (chapter 2).

All rewards here are functions of a transition, ``R(s, a, s')``, stored as
arrays [S, A, S]; :func:`as_transition_reward` lifts [S] and [S, A] rewards.
The planners take expected rewards ``r(s, a) = sum_{s'} P(s'|s,a) R(s,a,s')``
(:func:`expected_reward`), computed without ever building a dense [S, A, S]
array from [S] or [S, A] rewards: only a reward given as [S, A, S] costs that much.
"""

from __future__ import annotations

import numpy as np

from ..validation import as_array, check_discount, check_positive_int, check_size
from .mdp import TabularMDP, check_mdp


def _reward_array(reward, n_states: int, n_actions: int, name: str = "reward") -> np.ndarray:
    """A finite reward of shape [S], [S, A] or [S, A, S] (as given)."""
    reward = as_array(reward, name, ndim=(1, 2, 3))
    if reward.shape not in ((n_states,), (n_states, n_actions), (n_states, n_actions, n_states)):
        raise ValueError(
            f"{name} must have shape [S]=({n_states},), [S, A]=({n_states}, {n_actions}) or "
            f"[S, A, S]=({n_states}, {n_actions}, {n_states}), got {reward.shape}"
        )
    return reward


def as_transition_reward(reward, n_states: int, n_actions: int, name: str = "reward") -> np.ndarray:
    """Lift a reward [S], [S, A] or [S, A, S] to ``R(s, a, s')`` [S, A, S] (a ``ValueError`` before
    allocating when [S, A, S] is too large)."""
    n_states = check_positive_int(n_states, "n_states")
    n_actions = check_positive_int(n_actions, "n_actions")
    reward = _reward_array(reward, n_states, n_actions, name)
    shape = check_size((n_states, n_actions, n_states), name)
    if reward.ndim == 1:
        return np.broadcast_to(reward[:, None, None], shape).copy()
    if reward.ndim == 2:
        return np.broadcast_to(reward[:, :, None], shape).copy()
    return reward.copy()


def potential_shaping(potential, discount: float, n_actions: int) -> np.ndarray:
    """``F(s, a, s') = gamma * Phi(s') - Phi(s)``, shape [S, A, S] (Ng, Harada & Russell 1999)."""
    potential = as_array(potential, "potential", ndim=1)
    discount = check_discount(discount)
    n_actions = check_positive_int(n_actions, "n_actions")
    shape = check_size((len(potential), n_actions, len(potential)), "potential_shaping")
    shaping = discount * potential[None, None, :] - potential[:, None, None]
    return np.broadcast_to(shaping, shape).copy()


def expected_reward(mdp: TabularMDP, transition_reward) -> np.ndarray:
    """``r(s, a) = sum_{s'} P(s'|s,a) R(s,a,s')``, shape [S, A].

    ``transition_reward`` is [S] or [S, A] (returned as [S, A]: it does not depend on ``s'``) or
    [S, A, S], read only at the successors of each ``(s, a)``: ``O(nnz(P))`` on sparse dynamics.
    A shaped reward ``r(s,a) + gamma Phi(s') - Phi(s)`` needs no [S, A, S] array: see :func:`shaped_reward`.
    """
    check_mdp(mdp)
    S, A = mdp.n_states, mdp.n_actions
    R = _reward_array(transition_reward, S, A, "transition_reward")
    if R.ndim == 1:
        return np.repeat(R[:, None], A, axis=1)
    if R.ndim == 2:
        return R.copy()
    csr = mdp.as_csr()
    rows = np.repeat(np.arange(S * A), np.diff(csr.indptr))
    values = csr.data * R.reshape(S * A, S)[rows, csr.indices]
    return np.bincount(rows, weights=values, minlength=S * A).reshape(S, A)


def shaped_reward(mdp: TabularMDP, reward, potential) -> np.ndarray:
    """Expected shaped reward ``r(s,a) + gamma E[Phi(s')] - Phi(s)``, shape [S, A].

    Plan it with ``terminal_value = -potential``: the potential owed at the
    horizon is paid back, and every ``Q_t`` shifts by exactly ``-Phi(s)``.
    """
    base = expected_reward(mdp, reward)
    potential = as_array(potential, "potential", shape=(mdp.n_states,))
    return base + mdp.discount * mdp.expected_next(potential) - potential[:, None]
