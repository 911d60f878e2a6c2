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
  penalty that is dual to L2 regularisation, or the box ``|E_p f - f_demo|_inf <= l1`` that is
  dual to L1 regularisation);
* :func:`solve_max_causal_entropy` maximises the causal entropy
  ``E[-sum_t gamma^t log pi_t(a_t|s_t)]`` over policies, written as a concave function of
  the state-action occupancies ``rho_t(s, a)`` with the flow constraints of the MDP (exact
  matching, or the L1 box);
* :func:`worst_case_log_loss` and :func:`worst_case_causal_log_loss` solve the adversary's side
  of the minimax log-loss theorem: the largest expected log-loss of a model over every
  distribution (every policy) that matches the feature counts, a linear programme;
  :func:`feature_matching_extremes` and :func:`causal_feature_matching_extremes` return
  random vertices of those feasible sets (linear programmes with random objectives).

Sign convention for multipliers: both solvers return ``weights`` such that the
optimum has the form ``p(tau) ~ q(tau) exp(weights . f(tau))`` (resp. the causal
soft-optimal policy of the reward ``features @ weights``), the same sign as the
reward weights of :func:`irlbook.maxent_irl`.
"""

from __future__ import annotations

from dataclasses import dataclass

import cvxpy as cp
import numpy as np

from ..validation import (
    as_array,
    check_features,
    check_instance,
    check_nonnegative,
    check_positive,
    check_positive_int,
)
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


def _check_relaxation(l2, l1):
    if l2 is not None and l1 is not None:
        raise ValueError("give at most one of l2 and l1")
    l2 = None if l2 is None else check_positive(l2, "l2")
    l1 = None if l1 is None else check_nonnegative(l1, "l1")
    return l2, l1


def solve_max_entropy(table: TrajectoryTable, target, l2: float | None = None,
                      l1: float | None = None) -> PrimalSolution:
    """``max_p H(p) + E_p[log q]`` s.t. ``E_p[f] = target`` (or a relaxation of it).

    ``q`` is ``exp(table.log_base)``. With ``l2=None`` and ``l1=None`` the constraint is exact and the
    problem is infeasible unless ``target`` lies in the convex hull of the ``f(tau)``.
    With ``l2 > 0`` the constraint becomes a quadratic penalty ``- |E_p f - target|^2 / (2 l2)``: the
    primal of L2-regularised MaxEnt IRL; then ``weights = -(E_p f - target) / l2``.
    With ``l1 = beta >= 0`` it becomes the box ``|E_p f - target|_inf <= beta``: the primal of
    ``min_w g(w) + beta |w|_1`` (Dudik et al.); then ``weights`` are the box constraints' multipliers.
    """
    check_instance(table, TrajectoryTable, "table")
    l2, l1 = _check_relaxation(l2, l1)
    F = table.features
    target = as_array(target, "target", shape=(F.shape[1],))
    p = cp.Variable(F.shape[0], nonneg=True)
    entropy = cp.sum(cp.entr(p)) + table.log_base @ p
    simplex = cp.sum(p) == 1
    if l2 is not None:
        problem = cp.Problem(cp.Maximize(entropy - cp.sum_squares(F.T @ p - target) / (2 * l2)), [simplex])
    elif l1 is not None:
        upper, lower = F.T @ p - target <= l1, target - F.T @ p <= l1
        problem = cp.Problem(cp.Maximize(entropy), [upper, lower, simplex])
    else:
        matching = F.T @ p == target
        problem = cp.Problem(cp.Maximize(entropy), [matching, simplex])
    problem.solve(**_SOLVER)
    if problem.status != cp.OPTIMAL:
        raise ValueError(f"the max-entropy primal is {problem.status}: is the target inside the hull "
                         "of the trajectories' feature vectors?")
    probabilities = np.maximum(p.value, 0.0)
    probabilities /= probabilities.sum()
    if l2 is not None:
        weights = -(F.T @ probabilities - target) / l2
    elif l1 is not None:
        # Lagrangian -H + y+ . (F^T p - target - beta) + y- . (target - F^T p - beta): stationarity gives
        # log p = log q + (y- - y+) . f + const, so the reward weights are y- - y+.
        weights = np.asarray(lower.dual_value, dtype=np.float64) - np.asarray(upper.dual_value, dtype=np.float64)
    else:
        # cvxpy's Lagrangian for a maximisation is -objective + y (F^T p - target); stationarity
        # gives log p = log q - 1 - y . f + const, so the reward weights are -y.
        weights = -np.asarray(matching.dual_value, dtype=np.float64)
    return PrimalSolution(value=float(problem.value), weights=weights, probabilities=probabilities)


def _occupancy_program(mdp: TabularMDP, features):
    """cvxpy occupancies ``rho_t`` [S, A] (list of T), their flow constraints and discounted counts [F]."""
    check_mdp(mdp)
    features = check_features(mdp, features)
    T, S, A = mdp.horizon, mdp.n_states, mdp.n_actions
    feature_sa = features if features.ndim == 3 else np.repeat(features[:, None, :], A, axis=1)
    P = mdp.transitions.reshape(S * A, S)
    gammas = mdp.discount ** np.arange(T)
    rho = [cp.Variable((S, A), nonneg=True) for _ in range(T)]
    constraints = [cp.sum(rho[0], axis=1) == mdp.initial]
    for t in range(T - 1):
        constraints.append(cp.sum(rho[t + 1], axis=1) == P.T @ cp.reshape(rho[t], (S * A,), order="C"))
    counts = sum(gammas[t] * (feature_sa.reshape(S * A, -1).T @ cp.reshape(rho[t], (S * A,), order="C"))
                 for t in range(T))
    return rho, constraints, counts, feature_sa.shape[-1]


def _policy_from_occupancy(occupancy: np.ndarray) -> np.ndarray:
    state_mass = occupancy.sum(axis=2, keepdims=True)
    A = occupancy.shape[2]
    return np.where(state_mass > 1e-12, occupancy / np.maximum(state_mass, 1e-300), 1.0 / A)


def solve_max_causal_entropy(mdp: TabularMDP, features, target, l1: float | None = None) -> PrimalSolution:
    """``max_pi E_pi[-sum_t gamma^t log pi_t(a_t|s_t)]`` s.t. ``E_pi[sum_t gamma^t f] = target``.

    Variables are the occupancies ``rho_t(s,a) = P(s_t = s, a_t = a)`` [T, S, A], tied by
    ``sum_a rho_0(s,a) = p_0(s)`` and ``sum_a rho_{t+1}(s',a) = sum_{s,a} P(s'|s,a) rho_t(s,a)``.
    The causal entropy is ``-sum_t gamma^t sum_{s,a} rho log(rho / sum_a rho)``, a sum of
    negated relative entropies: concave, so the problem is convex. With ``l1 = beta >= 0`` the
    matching is relaxed to the box ``|mu(pi) - target|_inf <= beta`` (the primal of L1-regularised
    causal MaxEnt IRL; feasible only when ``beta`` is at least the distance that
    :func:`irlbook.tabular.maxent.feature_count_geometry` reports).
    """
    _, l1 = _check_relaxation(None, l1)
    rho, constraints, counts, n_features = _occupancy_program(mdp, features)
    T, A = mdp.horizon, mdp.n_actions
    target = as_array(target, "target", shape=(n_features,))
    gammas = mdp.discount ** np.arange(T)
    if l1 is None:
        matching = counts == target
        constraints.append(matching)
    else:
        upper, lower = counts - target <= l1, target - counts <= l1
        constraints += [upper, lower]
    ones = np.ones((1, A))
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
    if l1 is None:
        weights = -np.asarray(matching.dual_value, dtype=np.float64)
    else:
        weights = np.asarray(lower.dual_value, dtype=np.float64) - np.asarray(upper.dual_value, dtype=np.float64)
    return PrimalSolution(value=float(problem.value), weights=weights, occupancy=occupancy,
                          policy=_policy_from_occupancy(occupancy))


_LP = {"solver": cp.CLARABEL}


def worst_case_log_loss(table: TrajectoryTable, target, log_model) -> tuple[float, np.ndarray]:
    """The adversary's best reply: ``max_{p'} E_{p'}[-log model(tau)]`` over distributions ``p'`` on
    the listed trajectories with ``E_{p'}[f] = target``; a linear programme.

    ``log_model`` [N]: the model's log-probabilities of the trajectories (finite). Returns the
    worst-case expected log-loss and a maximising ``p'`` [N].
    """
    check_instance(table, TrajectoryTable, "table")
    F = table.features
    target = as_array(target, "target", shape=(F.shape[1],))
    log_model = as_array(log_model, "log_model", shape=(F.shape[0],))
    p = cp.Variable(F.shape[0], nonneg=True)
    problem = cp.Problem(cp.Maximize(-log_model @ p), [F.T @ p == target, cp.sum(p) == 1])
    problem.solve(**_LP)
    if problem.status != cp.OPTIMAL:
        raise ValueError(f"no distribution matches the target ({problem.status})")
    return float(problem.value), np.maximum(p.value, 0.0)


def feature_matching_extremes(table: TrajectoryTable, target, n: int, seed=0) -> np.ndarray:
    """``n`` distributions [n, N] on the listed trajectories, each matching ``E_p[f] = target``: the
    maximisers of random linear objectives, i.e. random vertices of the feasible polytope."""
    check_instance(table, TrajectoryTable, "table")
    n = check_positive_int(n, "n")
    F = table.features
    target = as_array(target, "target", shape=(F.shape[1],))
    rng = np.random.default_rng(seed)
    p = cp.Variable(F.shape[0], nonneg=True)
    c = cp.Parameter(F.shape[0])
    problem = cp.Problem(cp.Maximize(c @ p), [F.T @ p == target, cp.sum(p) == 1])
    out = []
    for _ in range(n):
        c.value = rng.normal(size=F.shape[0])
        problem.solve(**_LP)
        if problem.status != cp.OPTIMAL:
            raise ValueError(f"no distribution matches the target ({problem.status})")
        out.append(np.maximum(p.value, 0.0))
    return np.array(out)


def _causal_loss_program(mdp, features, target):
    rho, constraints, counts, n_features = _occupancy_program(mdp, features)
    target = as_array(target, "target", shape=(n_features,))
    constraints.append(counts == target)
    return rho, constraints


def worst_case_causal_log_loss(mdp: TabularMDP, features, target, policy) -> tuple[float, np.ndarray]:
    """``max_{pi'} E_{pi'}[-sum_t gamma^t log policy_t(a_t|s_t)]`` over policies ``pi'`` with
    ``mu(pi') = target``: linear in the occupancies of ``pi'``. ``policy`` [T, S, A] must be positive.

    Returns the worst-case expected causal log-loss and the maximising occupancy [T, S, A].
    """
    policy = as_array(policy, "policy", shape=(mdp.horizon, mdp.n_states, mdp.n_actions))
    if np.any(policy <= 0):
        raise ValueError("policy must be positive everywhere: its log-loss is otherwise infinite")
    rho, constraints = _causal_loss_program(mdp, features, target)
    gammas = mdp.discount ** np.arange(mdp.horizon)
    loss = sum(-gammas[t] * cp.sum(cp.multiply(np.log(policy[t]), rho[t])) for t in range(mdp.horizon))
    problem = cp.Problem(cp.Maximize(loss), constraints)
    problem.solve(**_LP)
    if problem.status != cp.OPTIMAL:
        raise ValueError(f"no policy matches the target ({problem.status})")
    return float(problem.value), np.maximum(np.stack([r.value for r in rho]), 0.0)


def causal_feature_matching_extremes(mdp: TabularMDP, features, target, n: int, seed=0) -> np.ndarray:
    """Occupancies [n, T, S, A] of ``n`` policies with ``mu(pi) = target``: maximisers of random linear
    objectives over the occupancy polytope (its vertices, generically)."""
    n = check_positive_int(n, "n")
    rho, constraints = _causal_loss_program(mdp, features, target)
    rng = np.random.default_rng(seed)
    c = [cp.Parameter((mdp.n_states, mdp.n_actions)) for _ in range(mdp.horizon)]
    problem = cp.Problem(cp.Maximize(sum(cp.sum(cp.multiply(c_t, r_t)) for c_t, r_t in zip(c, rho, strict=True))),
                         constraints)
    out = []
    for _ in range(n):
        for c_t in c:
            c_t.value = rng.normal(size=(mdp.n_states, mdp.n_actions))
        problem.solve(**_LP)
        if problem.status != cp.OPTIMAL:
            raise ValueError(f"no policy matches the target ({problem.status})")
        out.append(np.maximum(np.stack([r.value for r in rho]), 0.0))
    return np.array(out)
