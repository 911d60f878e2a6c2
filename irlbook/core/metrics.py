"""Comparing rewards and policies.

* Expected value difference (EVD; Levine et al. 2011): how much true value the
  optimal policy of a learned reward loses against the truly optimal policy.
* EPIC (Gleave et al. 2021): a pseudometric between rewards that is zero exactly
  when they differ by potential shaping and positive rescaling, computed
  without any policy optimisation.
"""

from __future__ import annotations

import numpy as np

from ..validation import (
    as_array,
    as_batch,
    as_probability_vector,
    check_discount,
    check_positive_int,
    check_reward,
    check_size,
)
from .mdp import TabularMDP
from .planning import policy_evaluation, value_iteration
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
    R = as_array(reward, "reward", ndim=3)
    if R.shape[0] != R.shape[2]:
        raise ValueError(f"reward must have shape [S, A, S], got {R.shape}")
    S, A, _ = R.shape
    discount = check_discount(discount)
    d_s = as_probability_vector(state_dist, "state_dist", S)
    d_a = as_probability_vector(action_dist, "action_dist", A)
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
    discount = check_discount(discount)
    n_states = check_positive_int(n_states, "n_states")
    n_actions = check_positive_int(n_actions, "n_actions")
    check_size((n_states, n_actions, n_states), "epic_distance(n_states, n_actions)")
    d_s = as_probability_vector(state_dist, "state_dist", n_states)
    d_a = as_probability_vector(action_dist, "action_dist", n_actions)
    weight = d_s[:, None, None] * d_a[None, :, None] * d_s[None, None, :]
    canon = []
    for name, reward in (("reward_a", reward_a), ("reward_b", reward_b)):
        R = as_transition_reward(reward, n_states, n_actions, name)
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


# --- EPIC from samples: continuous states (Gleave et al. 2021, section 4) ------------------------

def _evaluate(reward, states, actions, next_states, name: str, chunk: int = 65_536) -> np.ndarray:
    """``reward(s, a, s')`` on [B, ...] arrays, in chunks, as float64 [B]; finite."""
    out = []
    for i in range(0, len(states), chunk):
        part = reward(states[i:i + chunk], None if actions is None else actions[i:i + chunk],
                      next_states[i:i + chunk])
        out.append(as_array(part, f"{name}(s, a, s')", nonempty=False).reshape(-1))
    return as_array(np.concatenate(out), f"{name}(s, a, s')", shape=(len(states),))


def canonicalize_samples(reward, states, actions, next_states, coverage_states, coverage_actions, discount: float):
    """Sample-based EPIC canonicalisation ``C(R)`` [N] of ``reward`` at N transitions.

    ``C(R)(s,a,s') = R(s,a,s') + gamma m(s') - m(s) - gamma mean_i m(X_i)``, with
    ``m(x) = (1/M) sum_j R(x, A_j, X_j)`` over the M coverage samples ``X_j ~ D_S``, ``A_j ~ D_A``
    (drawn independently). It removes any potential shaping exactly, sample by sample:
    ``C(R + gamma Phi(s') - Phi(s)) = C(R)`` for every ``Phi`` (the Phi terms cancel because the same
    coverage states stand for ``S`` and ``S'``).

    reward : callable ``(s [B, d], a [B, ...] or None, s' [B, d]) -> [B]``
    states, next_states : [N, d];  actions : [N, ...] or None (state-only rewards)
    coverage_states : [M, d];  coverage_actions : [M, ...] or None.   Costs ``(2N + M) M`` reward calls.
    """
    discount = check_discount(discount)
    if (actions is None) != (coverage_actions is None):
        raise ValueError("pass actions and coverage_actions together (or neither, for a reward without actions)")
    states = as_batch(states, "states")
    n = len(states)
    next_states = as_batch(next_states, "next_states", n, states.shape[1:])
    cov_s = as_batch(coverage_states, "coverage_states", None, states.shape[1:])
    m = len(cov_s)
    actions = None if actions is None else as_batch(actions, "actions", n)
    cov_a = None if coverage_actions is None else as_batch(coverage_actions, "coverage_actions", m,
                                                             actions.shape[1:])

    def mean_from(x):                 # m(x) for x [B, d]: every x against all M coverage pairs
        rep = np.repeat(x, m, axis=0)
        tiled_a = None if cov_a is None else np.tile(cov_a, (len(x),) + (1,) * (cov_a.ndim - 1))
        tiled_s = np.tile(cov_s, (len(x),) + (1,) * (cov_s.ndim - 1))
        return _evaluate(reward, rep, tiled_a, tiled_s, "reward").reshape(len(x), m).mean(1)

    chunk = max(1, 65_536 // m)
    m_from = lambda x: np.concatenate([mean_from(x[i:i + chunk]) for i in range(0, len(x), chunk)])  # noqa: E731
    direct = _evaluate(reward, states, actions, next_states, "reward")
    return direct + discount * m_from(next_states) - m_from(states) - discount * m_from(cov_s).mean()


def epic_distance_samples(reward_a, reward_b, states, actions, next_states, coverage_states,
                          coverage_actions=None, discount: float = 0.99) -> float:
    """EPIC distance ``sqrt((1 - rho) / 2)`` in ``[0, 1]`` between two rewards given as functions.

    ``rho`` is the Pearson correlation, over the N transitions ``(s, a, s')``, of the two rewards
    canonicalised by :func:`canonicalize_samples` with the coverage samples. Zero when the rewards
    agree up to potential shaping and positive scaling (exactly, not only in expectation). On a finite
    problem with every state as a coverage state and every (s, a, s') triple as a transition it equals
    :func:`epic_distance` with uniform distributions. Raises ValueError when a canonicalised reward is
    constant on the transitions (its correlation, hence EPIC, is undefined). Arguments as in
    :func:`canonicalize_samples`; a state-only reward ``r(s')`` is ``lambda s, a, s2: r(s2)``.
    """
    canon = []
    for name, reward in (("reward_a", reward_a), ("reward_b", reward_b)):
        C = canonicalize_samples(reward, states, actions, next_states, coverage_states, coverage_actions, discount)
        C = C - C.mean()
        scale = max(1.0, float(np.max(np.abs(C))))
        if np.sqrt(np.mean(C * C)) <= 1e-10 * scale:
            raise ValueError(f"{name} is constant on the transitions after canonicalisation; EPIC is undefined")
        canon.append(C / np.sqrt(np.mean(C * C)))
    rho = float(np.clip(np.mean(canon[0] * canon[1]), -1.0, 1.0))
    return float(np.sqrt((1.0 - rho) / 2.0))
