"""Primal problems of maximum-entropy IRL, solved directly by a convex solver (chapter 5).

Chapter 5 proves that maximising entropy subject to matching the demonstrations'
feature counts ``f_demo`` is dual to maximum-likelihood MaxEnt IRL. The dual side is
:func:`irlbook.maxent_irl`; this module solves the *primal* side with cvxpy, so the
two can be compared number by number on MDPs small enough to enumerate:

* :func:`trajectory_table` lists every trajectory with its feature vector
  ``f(tau) = sum_t gamma^t f(s_t, a_t)`` and its log-probability under the dynamics;
* :func:`solve_max_entropy` maximises ``H(p) + E_p[log q]`` (entropy relative to a base
  measure ``q``; with deterministic dynamics and one start state, plain entropy) over
  distributions on trajectories, subject to ``E_p[f] = f_demo`` (or with the quadratic
  penalty that is dual to L2 regularisation);
* :func:`solve_max_causal_entropy` maximises the causal entropy
  ``E[-sum_t gamma^t log pi_t(a_t|s_t)]`` over policies, written as a concave function of
  the state-action occupancies ``rho_t(s, a)`` with the flow constraints of the MDP.

Sign convention for multipliers: both solvers return ``weights`` such that the
optimum has the form ``p(tau) ~ q(tau) exp(weights . f(tau))`` (resp. the causal
soft-optimal policy of the reward ``features @ weights``), the same sign as the
reward weights of :func:`irlbook.maxent_irl`.
"""

from __future__ import annotations

from dataclasses import dataclass

import cvxpy as cp
import numpy as np

from ..validation import as_array, check_features, check_instance, check_positive
from .demonstrations import trajectory_feature_counts
from .inference import enumerate_trajectories
from .mdp import TabularMDP, check_mdp


@dataclass(frozen=True)
class TrajectoryTable:
    """Every feasible trajectory of a tiny MDP.

    states, actions : int [N, T];  log_base : [N] ``log p_0(s_0) + sum_t log P(s_{t+1}|s_t,a_t)``;
    features : [N, F] discounted feature counts ``f(tau)``.
    """

    states: np.ndarray
    actions: np.ndarray
    log_base: np.ndarray
    features: np.ndarray


def trajectory_table(mdp: TabularMDP, features) -> TrajectoryTable:
    """Enumerate trajectories with their feature counts; features [S, F] or [S, A, F]."""
    check_mdp(mdp)
    features = check_features(mdp, features)
    states, actions, log_base = enumerate_trajectories(mdp)
    counts = trajectory_feature_counts(features, states, actions, mdp.discount)
    return TrajectoryTable(states, actions, log_base, counts)


def policy_trajectory_probabilities(table: TrajectoryTable, policy) -> np.ndarray:
    """``p(tau) = q(tau) prod_t pi_t(a_t | s_t)`` for every listed trajectory, shape [N]."""
    check_instance(table, TrajectoryTable, "table")
    policy = as_array(policy, "policy", ndim=3)
    t = np.arange(table.states.shape[1])[None, :]
    with np.errstate(divide="ignore"):
        log_pi = np.log(policy[t, table.states, table.actions]).sum(axis=1)
    return np.exp(table.log_base + log_pi)


@dataclass(frozen=True)
class PrimalSolution:
    """Solution of a maximum-entropy primal.

    value : optimal objective;  weights : [F] multipliers (reward weights);
    probabilities : [N] optimal trajectory distribution (``solve_max_entropy``) or
    occupancy : [T, S, A] and policy : [T, S, A] (``solve_max_causal_entropy``).
    """

    value: float
    weights: np.ndarray
    probabilities: np.ndarray | None = None
    occupancy: np.ndarray | None = None
    policy: np.ndarray | None = None


# Tight interior-point tolerances: the notebook compares the primal with the dual to 1e-6.
_SOLVER = {"solver": cp.CLARABEL, "tol_gap_abs": 1e-11, "tol_gap_rel": 1e-11, "tol_feas": 1e-11,
           "tol_ktratio": 1e-9, "max_iter": 500, "static_regularization_constant": 1e-12,
           "iterative_refinement_reltol": 1e-16, "iterative_refinement_abstol": 1e-16,
           "iterative_refinement_max_iter": 50}


def solve_max_entropy(table: TrajectoryTable, target, l2: float | None = None) -> PrimalSolution:
    """``max_p H(p) + E_p[log q]`` s.t. ``E_p[f] = target`` (or ``- |E_p f - target|^2 / (2 l2)``).

    ``q`` is ``exp(table.log_base)``. With ``l2=None`` the constraint is exact and the
    problem is infeasible unless ``target`` lies in the convex hull of the ``f(tau)``.
    With ``l2 > 0`` the constraint becomes a quadratic penalty: the primal of
    L2-regularised MaxEnt IRL; then ``weights = -(E_p f - target) / l2``.
    """
    check_instance(table, TrajectoryTable, "table")
    F = table.features
    target = as_array(target, "target", shape=(F.shape[1],))
    p = cp.Variable(F.shape[0], nonneg=True)
    entropy = cp.sum(cp.entr(p)) + table.log_base @ p
    simplex = cp.sum(p) == 1
    if l2 is None:
        matching = F.T @ p == target
        problem = cp.Problem(cp.Maximize(entropy), [matching, simplex])
    else:
        l2 = check_positive(l2, "l2")
        problem = cp.Problem(cp.Maximize(entropy - cp.sum_squares(F.T @ p - target) / (2 * l2)), [simplex])
    problem.solve(**_SOLVER)
    if problem.status != cp.OPTIMAL:
        raise ValueError(f"the max-entropy primal is {problem.status}: is the target inside the hull "
                         "of the trajectories' feature vectors?")
    probabilities = np.maximum(p.value, 0.0)
    probabilities /= probabilities.sum()
    if l2 is None:
        # cvxpy's Lagrangian for a maximisation is -objective + y (F^T p - target); stationarity
        # gives log p = log q - 1 - y . f + const, so the reward weights are -y.
        weights = -np.asarray(matching.dual_value, dtype=np.float64)
    else:
        weights = -(F.T @ probabilities - target) / l2
    return PrimalSolution(value=float(problem.value), weights=weights, probabilities=probabilities)


def solve_max_causal_entropy(mdp: TabularMDP, features, target) -> PrimalSolution:
    """``max_pi E_pi[-sum_t gamma^t log pi_t(a_t|s_t)]`` s.t. ``E_pi[sum_t gamma^t f] = target``.

    Variables are the occupancies ``rho_t(s,a) = P(s_t = s, a_t = a)`` [T, S, A], tied by
    ``sum_a rho_0(s,a) = p_0(s)`` and ``sum_a rho_{t+1}(s',a) = sum_{s,a} P(s'|s,a) rho_t(s,a)``.
    The causal entropy is ``-sum_t gamma^t sum_{s,a} rho log(rho / sum_a rho)``, a sum of
    negated relative entropies: concave, so the problem is convex.
    """
    check_mdp(mdp)
    features = check_features(mdp, features)
    T, S, A = mdp.horizon, mdp.n_states, mdp.n_actions
    feature_sa = features if features.ndim == 3 else np.repeat(features[:, None, :], A, axis=1)
    target = as_array(target, "target", shape=(feature_sa.shape[-1],))
    P = mdp.transitions.reshape(S * A, S)
    gammas = mdp.discount ** np.arange(T)
    rho = [cp.Variable((S, A), nonneg=True) for _ in range(T)]
    ones = np.ones((1, A))
    constraints = [cp.sum(rho[0], axis=1) == mdp.initial]
    for t in range(T - 1):
        constraints.append(cp.sum(rho[t + 1], axis=1) == P.T @ cp.reshape(rho[t], (S * A,), order="C"))
    counts = sum(gammas[t] * (feature_sa.reshape(S * A, -1).T @ cp.reshape(rho[t], (S * A,), order="C"))
                 for t in range(T))
    matching = counts == target
    constraints.append(matching)
    entropy = 0
    for t in range(T):
        state_mass = cp.sum(rho[t], axis=1, keepdims=True) @ ones          # [S, A], sigma_t(s) per action
        entropy += -gammas[t] * cp.sum(cp.rel_entr(rho[t], state_mass))
    problem = cp.Problem(cp.Maximize(entropy), constraints)
    problem.solve(**_SOLVER)
    if problem.status != cp.OPTIMAL:
        raise ValueError(f"the max-causal-entropy primal is {problem.status}: is the target achievable "
                         "by some policy?")
    occupancy = np.maximum(np.stack([r.value for r in rho]), 0.0)
    state_mass = occupancy.sum(axis=2, keepdims=True)
    policy = np.where(state_mass > 1e-12, occupancy / np.maximum(state_mass, 1e-300), 1.0 / A)
    weights = -np.asarray(matching.dual_value, dtype=np.float64)
    return PrimalSolution(value=float(problem.value), weights=weights, occupancy=occupancy, policy=policy)
