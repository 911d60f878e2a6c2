"""Importance sampling for the MaxEnt partition function (chapter 6).

The MaxEnt trajectory model is ``p_psi(tau) = q(tau) exp(R_psi(tau)) / Z(psi)`` with
``q(tau) = p(s_0) prod_t P(s_{t+1} | s_t, a_t)`` the dynamics and ``R_psi(tau)`` the
(discounted) return. With trajectories ``tau_1..tau_n`` drawn from a sampler whose
density is ``q(tau) pi(tau)`` (``pi(tau) = prod_t pi_t(a_t | s_t)``),

    Z(psi) = E_{q pi}[ exp(R_psi(tau)) / pi(tau) ]          (the dynamics cancel)
    grad log Z(psi) = E_{p_psi}[grad R_psi(tau)]
                    ~ sum_j w~_j grad R_psi(tau_j),  w~_j = w_j / sum_k w_k,
    log w_j = R_psi(tau_j) - log pi(tau_j).

Everything is computed from log-weights (never from ``exp(R)`` itself), so it is stable
for any finite returns. The effective sample size ``(sum_j w_j)^2 / sum_j w_j^2`` says how
many draws from ``p_psi`` the weighted sample is worth.

The Gaussian toy at the end has a closed-form partition function and closed-form
asymptotic bias, variance and effective sample size of the self-normalised estimator;
the chapter's notebook checks these formulas against simulation.
"""

from __future__ import annotations

import numpy as np
from scipy.special import logsumexp, softmax

from ..core.mdp import TabularMDP, check_mdp
from ..core.visitation import discount_weights
from ..validation import (
    as_array,
    as_index_array,
    check_features,
    check_log_weights,
    check_policy,
    check_positive_int,
)


def importance_log_weights(log_target, log_proposal) -> np.ndarray:
    """``log w_j = log p~(x_j) - log q(x_j)``, shape [..., n].

    ``log_target`` is the *unnormalised* target log-density (for MaxEnt IRL the return
    ``R_psi(tau_j)``), ``log_proposal`` the sampler's log-density (for trajectories only the
    policy part ``log pi(tau_j)``: the dynamics cancel). Shapes must match.
    """
    log_target = check_log_weights(log_target, "log_target")
    try:
        log_proposal = as_array(log_proposal, "log_proposal")
    except ValueError as error:
        raise ValueError(f"{error}: log_proposal must be finite, every sample has positive density under its "
                         "sampler") from None
    if log_target.shape != log_proposal.shape:
        raise ValueError(f"log_target {log_target.shape} and log_proposal {log_proposal.shape} "
                         "must have the same shape")
    return check_log_weights(log_target - log_proposal)


def self_normalized_weights(log_weights) -> np.ndarray:
    """``w~_j = w_j / sum_k w_k`` along the last axis (a softmax of the log-weights)."""
    return softmax(check_log_weights(log_weights), axis=-1)


def effective_sample_size(log_weights) -> np.ndarray | float:
    """Kish's effective sample size ``(sum_j w_j)^2 / sum_j w_j^2`` along the last axis.

    Between 1 (one weight carries everything) and ``n`` (equal weights). Computed in log
    space: ``exp(2 logsumexp(log w) - logsumexp(2 log w))``, with the largest log-weight subtracted
    first (so that doubling cannot overflow: a weight of 1e308 is fine).
    """
    log_weights = check_log_weights(log_weights)
    shifted = log_weights - log_weights.max(axis=-1, keepdims=True)
    with np.errstate(over="ignore"):                                    # -2e308 -> -inf: a zero weight
        doubled = 2 * shifted
    ess = np.exp(2 * logsumexp(shifted, axis=-1) - logsumexp(doubled, axis=-1))
    return float(ess) if np.ndim(ess) == 0 else ess


def log_partition_estimate(log_weights) -> np.ndarray | float:
    """``log((1/n) sum_j w_j)``: the log of the unbiased importance estimate of ``Z``.

    (Its exponential is unbiased for ``Z``; the log itself is biased low by Jensen.)
    """
    log_weights = check_log_weights(log_weights)
    out = logsumexp(log_weights, axis=-1) - np.log(log_weights.shape[-1])
    return float(out) if np.ndim(out) == 0 else out


def self_normalized_expectation(log_weights, values) -> np.ndarray:
    """``sum_j w~_j values_j``: the self-normalised estimate of ``E_p[values]``.

    log_weights [n]; values [n] or [n, K]. For MaxEnt IRL with ``values_j = grad R_psi(tau_j)``
    (for a linear reward, the feature counts ``f(tau_j)``) this is the estimate of
    ``grad log Z(psi)``, the partition-function term of the likelihood gradient.
    """
    log_weights = check_log_weights(log_weights)
    if log_weights.ndim != 1:
        raise ValueError(f"log_weights must have shape [n], got {log_weights.shape}")
    values = as_array(values, "values", ndim=(1, 2))
    if values.shape[0] != log_weights.shape[0]:
        raise ValueError(f"values must have shape [n] or [n, K] with n = {log_weights.shape[0]}, got {values.shape}")
    return self_normalized_weights(log_weights) @ values


def partition_gradient(log_weights, return_gradients) -> np.ndarray:
    """Self-normalised estimate of ``grad log Z(psi) = E_{p_psi}[grad R_psi(tau)]``, shape [K].

    return_gradients [n, K]: ``grad_psi R_psi(tau_j)`` for each sample (the feature counts
    ``f(tau_j)`` for a linear reward).
    """
    return_gradients = as_array(return_gradients, "return_gradients", ndim=2)
    return self_normalized_expectation(log_weights, return_gradients)


def mixture_log_density(log_densities) -> np.ndarray:
    """``log((1/K) sum_k q_k(x))`` from per-component log-densities [K, n] -> [n].

    Guided cost learning puts the density of the *mixture* of all policies sampled so far in
    the denominator of the weights (Finn et al. 2016), which bounds every weight by ``K``
    times the weight under the best component.
    """
    log_densities = as_array(log_densities, "log_densities", ndim=2, finite=False)
    return logsumexp(log_densities, axis=0) - np.log(log_densities.shape[0])


# --- tabular trajectories ---------------------------------------------------------------

def trajectory_log_policy(mdp: TabularMDP, policy, states, actions) -> np.ndarray:
    """``log pi(tau) = sum_t log pi_t(a_t | s_t)`` for trajectories [n, T] -> [n].

    This is the proposal density of a trajectory *without* the dynamics, which cancel
    from the self-normalised weights.
    """
    check_mdp(mdp)
    policy = check_policy(mdp, policy)
    states, actions = _trajectories(mdp, states, actions)
    t = np.arange(mdp.horizon)[None, :]
    with np.errstate(divide="ignore"):
        return np.log(policy[t, states, actions]).sum(axis=1)


def trajectory_features(mdp: TabularMDP, features, states, actions) -> np.ndarray:
    """Discounted feature counts ``f(tau) = sum_t gamma^t f(s_t[, a_t])`` of each trajectory: [n, T] -> [n, F]
    (per trajectory; :meth:`Demonstrations.feature_counts` is their average)."""
    check_mdp(mdp)
    features = check_features(mdp, features)
    states, actions = _trajectories(mdp, states, actions)
    per_step = features[states] if features.ndim == 2 else features[states, actions]   # [n, T, F]
    return np.einsum("t,ntf->nf", discount_weights(mdp), per_step)


def _trajectories(mdp: TabularMDP, states, actions):
    """Integer trajectories [n, T] of ``mdp``, indices in range (``-1`` does not wrap)."""
    states = as_index_array(states, "states", mdp.n_states, ndim=2)
    if states.shape[1] != mdp.horizon:
        raise ValueError(f"states and actions must both have shape [n, T] with T = {mdp.horizon}, got {states.shape}")
    actions = as_index_array(actions, "actions", mdp.n_actions, shape=states.shape)
    return states, actions


# --- a toy with a known partition function -----------------------------------------------

def gaussian_toy_log_target(x, theta) -> np.ndarray:
    """Unnormalised log-density ``theta . x - |x|^2 / 2`` of a point x [..., d].

    A "reward" ``theta . x`` on a standard-normal base measure. ``Z(theta) =
    (2 pi)^{d/2} exp(|theta|^2 / 2)``, so the normalised target is ``N(theta, I)`` and
    ``grad log Z = theta`` exactly.
    """
    x, theta = as_array(x, "x"), as_array(theta, "theta", ndim=1)
    return x @ theta - 0.5 * np.sum(x**2, axis=-1)


def gaussian_toy_log_partition(theta) -> float:
    """``log Z(theta) = (d/2) log(2 pi) + |theta|^2 / 2``."""
    theta = as_array(theta, "theta", ndim=1)
    return float(0.5 * theta.size * np.log(2 * np.pi) + 0.5 * theta @ theta)


def gaussian_toy_asymptotics(shift, n: int) -> dict:
    """Large-``n`` behaviour of the self-normalised estimate of ``grad log Z`` (first coordinate)
    when the target is ``N(theta, I)`` and the sampler is ``N(theta + shift, I)``.

    With normalised weights ``w = p / q`` and ``delta = |shift|``: ``E_q[w^2] = exp(delta^2)``;
    Kish's ESS ``-> n exp(-delta^2)``; the estimator of ``theta_1`` has
    bias ``-E_q[w^2 (x_1 - theta_1)] / n = shift_1 exp(delta^2) / n`` and
    variance ``E_q[w^2 (x_1 - theta_1)^2] / n = (1 + shift_1^2) exp(delta^2) / n``.
    """
    shift = np.atleast_1d(as_array(shift, "shift"))
    n = check_positive_int(n, "n")
    second_moment = float(np.exp(shift @ shift))
    return {
        "weight_second_moment": second_moment,
        "ess_fraction": 1.0 / second_moment,
        "bias": float(shift[0]) * second_moment / n,
        "variance": (1.0 + float(shift[0]) ** 2) * second_moment / n,
    }
