"""Finite-horizon planning: hard and soft value iteration.

With ``V_T = 0`` and ``t = T-1, ..., 0`` (chapter 1):

causal (maximum causal entropy, the soft Bellman backup)
    ``Q_t(s,a) = r(s,a) + gamma * sum_{s'} P(s'|s,a) V_{t+1}(s')``
non-causal (Ziebart 2008; requires ``gamma = 1``)
    ``Q_t(s,a) = r(s,a) + alpha * log sum_{s'} P(s'|s,a) exp(V_{t+1}(s') / alpha)``
both
    ``V_t(s) = alpha * log sum_a exp(Q_t(s,a) / alpha)``,
    ``pi_t(a|s) = exp((Q_t(s,a) - V_t(s)) / alpha)``.

Every log-sum-exp subtracts its maximum first, so any finite reward gives
finite ``Q``, ``V`` and a normalised policy, at any temperature ``alpha > 0``.
The cost is ``O(T * nnz(P))``: ``O(T*S*A*K)`` for sparse dynamics. The soft loop
loops over time only: each step is one product with ``P`` (CSR or BLAS) and a few
vectorised operations written into arrays allocated once per call
(``benchmarks/floor.py`` counts what a step must move).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..validation import check_bool, check_policy, check_reward, check_state_values, check_temperature
from .mdp import TabularMDP, check_mdp


@dataclass(frozen=True)
class PlanningResult:
    """Time-indexed values and policy of a finite-horizon MDP.

    q : [T, S, A]  state-action values ``Q_t(s, a)``
    v : [T, S]     state values ``V_t(s)``
    policy : [T, S, A]  ``pi_t(a | s)``; each ``policy[t, s]`` sums to 1
    """

    q: np.ndarray
    v: np.ndarray
    policy: np.ndarray


def _empty_plan(mdp: TabularMDP) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Uninitialised ``q`` [T, S, A], ``v`` [T, S] and ``policy`` [T, S, A] for a backward pass."""
    T, S, A = mdp.horizon, mdp.n_states, mdp.n_actions
    return np.empty((T, S, A)), np.empty((T, S)), np.empty((T, S, A))


def soft_value_iteration(mdp: TabularMDP, reward, temperature: float = 1.0, causal: bool = True,
                         terminal_value=None) -> PlanningResult:
    """Soft (maximum-entropy) value iteration over the horizon ``T``.

    Parameters
    ----------
    mdp : TabularMDP
    reward : array [S], [S, A] or [T, S, A]
        A state reward ``r(s)`` is used for every action; a [T, S, A] reward ``r_t(s, a)``
        changes with time (AIRL's time-indexed potential needs one, chapter 7).
    temperature : float
        ``alpha > 0``; ``alpha -> 0`` recovers hard value iteration.
    causal : bool
        ``True``: maximum *causal* entropy (expectation over next states).
        ``False``: Ziebart et al. (2008)'s non-causal model (log-expected-exp over
        next states, optimistic under stochastic dynamics); needs ``discount == 1``.
    terminal_value : array [S], optional
        ``V_T`` (zeros by default, as in the Public API). A potential-shaped reward
        keeps the same policy at every step when ``V_T`` pays back the potential (chapter 2).

    Returns
    -------
    PlanningResult with ``q`` [T,S,A], ``v`` [T,S], ``policy`` [T,S,A]; the log-policy, finite
    even where ``policy`` underflows to 0, is ``(q - v[..., None]) / temperature``.
    """
    check_mdp(mdp)
    reward = check_reward(mdp, reward, time_varying=True)
    alpha = check_temperature(temperature)
    causal = check_bool(causal, "causal")
    if not causal and mdp.discount != 1.0:
        raise ValueError(
            f"causal=False (the non-causal model) requires discount == 1, got discount={mdp.discount}"
        )
    q, v, policy = _empty_plan(mdp)
    v_next = check_state_values(mdp, terminal_value, "terminal_value")
    scaled_next = np.empty(mdp.n_states)                                 # gamma * V_{t+1}
    work = _soft_maximum_buffers(mdp.n_states, mdp.n_actions)
    for t in reversed(range(mdp.horizon)):
        np.copyto(q[t], reward[t] if reward.ndim == 3 else reward)       # Q_t = r_t + backup of V_{t+1}
        if t < mdp.horizon - 1 or terminal_value is not None:            # (the default V_T = 0 backs up to 0)
            if causal:
                np.multiply(v_next, mdp.discount, out=scaled_next)
                mdp._add_expected_next(scaled_next, q[t])                # + gamma P V_{t+1}, in place
            else:
                q[t] += mdp.log_expected_exp(v_next, alpha)
        _soft_maximum(q[t], alpha, v[t], policy[t], work)
        v_next = v[t]
    return PlanningResult(q=q, v=v, policy=policy)


def _soft_maximum_buffers(n_states: int, n_actions: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Work arrays of :func:`_soft_maximum`, allocated once per backward pass: [A, S], [S], [S]."""
    return np.empty((n_actions, n_states)), np.empty(n_states), np.empty(n_states)


def _soft_maximum(q_t: np.ndarray, alpha: float, v_t: np.ndarray, policy_t: np.ndarray, work) -> None:
    """``v_t = alpha log sum_a exp(q_t / alpha)`` [S] and ``policy_t = exp((q_t - v_t) / alpha)`` [S, A],
    written in place from ``q_t`` [S, A], with the maximum over actions subtracted first.

    The reductions over actions run on an actions-first copy ``[A, S]`` of ``q_t``: numpy reduces a
    leading axis with vectorised element-wise operations, a short trailing axis (``A = 4`` or ``5``)
    an order of magnitude slower.
    """
    weights, q_max, total = work
    np.copyto(weights, q_t.T)
    np.maximum.reduce(weights, axis=0, out=q_max)
    np.subtract(weights, q_max, out=weights)
    if alpha != 1.0:
        np.divide(weights, alpha, out=weights)
    np.exp(weights, out=weights)                                         # in (0, 1], the maximum is 1
    np.add.reduce(weights, axis=0, out=total)                            # in [1, A]
    np.divide(weights, total, out=weights)
    np.copyto(policy_t, weights.T)
    np.log(total, out=total)
    if alpha != 1.0:
        np.multiply(total, alpha, out=total)
    np.add(q_max, total, out=v_t)


def value_iteration(mdp: TabularMDP, reward, terminal_value=None) -> PlanningResult:
    """Hard finite-horizon value iteration.

    ``Q_t = r + gamma P V_{t+1}``, ``V_t = max_a Q_t`` with ``V_T = terminal_value``
    (zeros by default); the policy is uniform over the actions whose value ties
    the maximum (to a relative tolerance of 1e-10).
    """
    check_mdp(mdp)
    reward = check_reward(mdp, reward)
    q, v, policy = _empty_plan(mdp)
    v_next = check_state_values(mdp, terminal_value, "terminal_value")
    for t in reversed(range(mdp.horizon)):
        q[t] = reward + mdp.discount * mdp.expected_next(v_next)
        v[t] = q[t].max(axis=1)
        tolerance = 1e-10 * np.maximum(1.0, np.abs(v[t]))
        best = q[t] >= (v[t] - tolerance)[:, None]
        policy[t] = best / best.sum(axis=1, keepdims=True)
        v_next = v[t]
    return PlanningResult(q=q, v=v, policy=policy)


def policy_evaluation(mdp: TabularMDP, reward, policy) -> PlanningResult:
    """Exact values of a given time-varying policy.

    ``Q_t = r + gamma P V_{t+1}``, ``V_t(s) = sum_a pi_t(a|s) Q_t(s,a)``.
    ``policy`` is [T, S, A] or a stationary [S, A]; the returned ``policy`` is it, broadcast.
    """
    check_mdp(mdp)
    reward = check_reward(mdp, reward)
    policy = check_policy(mdp, policy)
    T, S, A = mdp.horizon, mdp.n_states, mdp.n_actions
    q = np.empty((T, S, A))
    v = np.empty((T, S))
    v_next = np.zeros(S)
    for t in reversed(range(mdp.horizon)):
        q[t] = reward + mdp.discount * mdp.expected_next(v_next)
        v[t] = (policy[t] * q[t]).sum(axis=1)
        v_next = v[t]
    return PlanningResult(q=q, v=v, policy=policy)
