"""Comparing rewards and policies.

* Expected value difference (EVD; Levine et al. 2011): how much true value the
  optimal policy of a learned reward loses against the truly optimal policy.
* EPIC (Gleave et al. 2021): a pseudometric between rewards that is zero exactly
  when they differ by potential shaping and positive rescaling, computed
  without any policy optimisation.
"""

from __future__ import annotations

import numpy as np

from .mdp import TabularMDP
from .planning import check_reward, policy_evaluation, value_iteration
from .shaping import as_transition_reward


def expected_value(mdp: TabularMDP, reward, policy) -> float:
    """``E_{s_0 ~ p_0}[V^pi_0(s_0)]`` under ``reward`` [S] or [S, A]; policy [T,S,A] or [S,A]."""
    return float(mdp.initial @ policy_evaluation(mdp, reward, policy).v[0])


def expected_value_difference(mdp: TabularMDP, true_reward, policy) -> float:
    """EVD: optimal expected true value minus the expected true value of ``policy``.

    Non-negative up to rounding; 0 means ``policy`` is optimal for ``true_reward``.
    Pass the (soft- or hard-) optimal policy of a learned reward as ``policy``.
    """
    true_reward = check_reward(mdp, true_reward, "true_reward")
    optimal = value_iteration(mdp, true_reward)
    return float(mdp.initial @ optimal.v[0]) - expected_value(mdp, true_reward, policy)


def canonicalize(reward, discount: float, state_dist=None, action_dist=None) -> np.ndarray:
    """EPIC's canonically shaped reward [S, A, S].

    ``C(R)(s,a,s') = R(s,a,s') + E[gamma R(s',A,S') - R(s,A,S') - gamma R(S,A,S')]``
    with ``S, S' ~ D_S`` and ``A ~ D_A`` independent. ``C`` removes any potential
    shaping: ``C(R + gamma Phi(s') - Phi(s)) = C(R)``.
    reward : [S, A, S];  state_dist : [S];  action_dist : [A] (uniform by default).
    """
    R = np.asarray(reward, dtype=np.float64)
    if R.ndim != 3 or R.shape[0] != R.shape[2]:
        raise ValueError(f"reward must have shape [S, A, S], got {R.shape}")
    S, A, _ = R.shape
    d_s = _distribution(state_dist, S, "state_dist")
    d_a = _distribution(action_dist, A, "action_dist")
    # m(x) = E_{A, S'}[R(x, A, S')]: the mean reward leaving state x.
    mean_from = np.einsum("xay,a,y->x", R, d_a, d_s)
    mean_all = d_s @ mean_from
    return R + discount * mean_from[None, None, :] - mean_from[:, None, None] - discount * mean_all


def epic_distance(reward_a, reward_b, n_states: int, n_actions: int, discount: float,
                  state_dist=None, action_dist=None) -> float:
    """EPIC distance ``sqrt((1 - rho) / 2)`` in ``[0, 1]`` between two rewards.

    Rewards may be [S], [S, A] or [S, A, S]. ``rho`` is the Pearson correlation
    of the canonicalised rewards under the coverage distribution
    ``D_S x D_A x D_S`` (uniform by default). Zero exactly when the rewards agree
    up to potential shaping and positive scaling. Raises ValueError when a reward
    is equivalent to a constant (zero variance after canonicalisation): its
    correlation, hence EPIC, is undefined.
    """
    if not (0.0 < float(discount) <= 1.0):
        raise ValueError(f"discount must lie in (0, 1], got {discount}")
    d_s = _distribution(state_dist, n_states, "state_dist")
    d_a = _distribution(action_dist, n_actions, "action_dist")
    weight = d_s[:, None, None] * d_a[None, :, None] * d_s[None, None, :]
    canon = []
    for name, reward in (("reward_a", reward_a), ("reward_b", reward_b)):
        R = as_transition_reward(reward, n_states, n_actions)
        if not np.all(np.isfinite(R)):
            raise ValueError(f"{name} contains NaN or inf")
        C = canonicalize(R, discount, d_s, d_a)
        C = C - np.sum(weight * C)
        variance = np.sum(weight * C * C)
        scale = max(1.0, float(np.max(np.abs(R))))
        if variance <= (1e-12 * scale) ** 2:
            raise ValueError(f"{name} is equivalent to a constant reward after canonicalisation; "
                             "its EPIC distance to anything is undefined")
        canon.append(C / np.sqrt(variance))
    rho = float(np.clip(np.sum(weight * canon[0] * canon[1]), -1.0, 1.0))
    return float(np.sqrt((1.0 - rho) / 2.0))


def _distribution(dist, n: int, name: str) -> np.ndarray:
    if dist is None:
        return np.full(n, 1.0 / n)
    dist = np.asarray(dist, dtype=np.float64)
    if dist.shape != (n,) or np.any(dist < 0) or not np.isfinite(dist).all() or abs(dist.sum() - 1) > 1e-8:
        raise ValueError(f"{name} must be a probability vector of shape ({n},)")
    return dist
