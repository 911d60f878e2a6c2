"""Feature matching, max margin and maximum margin planning (chapter 3).

The reward is linear in features, ``r_psi(s) = f(s) . psi`` (or ``f(s, a) . psi``),
so the value of any policy is linear in its *feature expectations*

    mu(pi) = E_pi[ sum_t gamma^t f(s_t) ],      V(pi; psi) = psi . mu(pi),

computed exactly by :func:`irlbook.expected_feature_counts` (one forward pass).

Abbeel & Ng (2004) look for policies whose feature expectations come within
``epsilon`` of the expert's ``mu_E``. Both of their algorithms alternate a
*reward step* (choose ``psi`` from the feature expectations ``mu_0 .. mu_{i-1}``
found so far) and a *planning step* (``pi_i`` = optimal policy of ``psi``, by
:func:`irlbook.value_iteration`):

max margin
    ``t_i = max_{|psi|_2 <= 1} min_j psi . (mu_E - mu_j)``, a second-order cone
    programme solved with cvxpy. By duality, ``t_i`` is the distance from ``mu_E``
    to the convex hull of ``{mu_j}`` and the constraints' multipliers are the
    weights of the closest mixture.
projection
    ``mu_bar_i`` = projection of ``mu_E`` onto the line through ``mu_bar_{i-1}``
    and ``mu_i``; ``psi_{i+1} = mu_E - mu_bar_i``, ``t = |psi|``. No QP at all.

Both stop when ``t <= epsilon * sum_t gamma^t`` (``epsilon`` is measured on
*normalised* feature expectations, which for indicator features are
distributions over features). The output is a *mixture* of the policies found:
follow ``pi_j`` for the whole episode with probability ``lambda_j``.

Maximum margin planning (Ratliff, Bagnell & Zinkevich 2006) demands a margin
that grows with a loss ``L(pi) = sum_t gamma^t E_pi[l(s_t, a_t)]``,

    min_psi  (l2/2)|psi|^2 + max_pi [psi . mu(pi) + L(pi)] - psi . mu_E,

and minimises this convex, non-smooth objective by subgradient steps: the inner
maximum is a planning problem with reward ``f . psi + l`` (loss-augmented value
iteration); its maximiser ``pi*`` gives the subgradient ``l2 psi + mu(pi*) - mu_E``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..core.demonstrations import Demonstrations, check_demos
from ..core.mdp import TabularMDP, check_mdp
from ..core.planning import value_iteration
from ..core.result import IRLResult, as_history
from ..core.visitation import discount_weights, expected_feature_counts, state_action_visitation
from ..validation import (
    as_array,
    check_features,
    check_point_and_rows,
    check_policy,
    check_positive,
    check_positive_int,
)


def _check_vectors(mu_expert, mu_policies):
    return check_point_and_rows(mu_expert, mu_policies, "mu_expert", "mu_policies")


# ------------------------------------------------------- feature expectations


def feature_expectations(mdp: TabularMDP, features, policy=None, *, demos: Demonstrations | None = None) -> np.ndarray:
    """Feature expectations ``mu = E[sum_t gamma^t f(s_t[, a_t])]``, shape [F].

    Pass either ``policy`` [T, S, A] (exact, :func:`irlbook.expected_feature_counts`) or
    ``demos``, a :class:`~irlbook.core.demonstrations.Demonstrations` (the empirical average
    over its trajectories, Abbeel & Ng's ``mu_hat_E``, :meth:`Demonstrations.feature_counts`).
    """
    check_mdp(mdp)
    features = check_features(mdp, features)
    if (policy is None) == (demos is None):
        raise ValueError("pass exactly one of policy or demos")
    if policy is not None:
        return expected_feature_counts(mdp, check_policy(mdp, policy), features)
    demos = check_demos(mdp, demos, need_actions=features.ndim == 3, arrays=False)
    return demos.feature_counts(features, mdp.discount)


def expert_feature_expectations(mdp: TabularMDP, features, demos=None, expert_policy=None) -> np.ndarray:
    """The expert's ``mu_E`` [F]: from ``demos`` (empirical) or, in the limit of infinitely many
    demonstrations, from ``expert_policy`` (exact); exactly one of them."""
    if (demos is None) == (expert_policy is None):
        raise ValueError("pass exactly one of demos or expert_policy (the exact limit of infinitely many demos)")
    if demos is not None:
        return feature_expectations(mdp, features, demos=demos)
    return feature_expectations(mdp, features, expert_policy)


def policy_of(mdp: TabularMDP, features, weights) -> np.ndarray:
    """The optimal policy [T, S, A] of the reward ``features @ weights`` (hard value iteration)."""
    features = check_features(mdp, features)
    weights = as_array(weights, "weights", shape=(features.shape[-1],))
    return value_iteration(mdp, features @ weights).policy


# ---------------------------------------------------------- the two QPs

# Clarabel: an interior-point conic solver, accurate to about 1e-8 (the tests check KKT to 1e-5).
_SOLVER = {"solver": "CLARABEL"}


@dataclass
class MarginSolution:
    """Solution of a max-margin QP.

    weights : [F] ``psi``;  margin : ``t`` (max-margin form) or ``1/|psi|`` (SVM form)
    multipliers : [J] the dual variables of the margin constraints (non-negative)
    slacks : [J] ``xi_j`` (zeros without slack)
    """

    weights: np.ndarray
    margin: float
    multipliers: np.ndarray
    slacks: np.ndarray


def max_margin_qp(mu_expert, mu_policies) -> MarginSolution:
    """Abbeel & Ng's reward step: ``max_{t, |psi|_2 <= 1} t`` s.t. ``psi . mu_E >= psi . mu_j + t``.

    mu_expert : [F];  mu_policies : [J, F].  Always feasible (``psi = 0, t = 0``);
    ``t > 0`` exactly when ``mu_E`` lies outside the convex hull of the ``mu_j``,
    and then ``t`` is its distance to that hull. The multipliers ``lambda_j`` sum
    to 1 when ``t > 0`` and ``sum_j lambda_j mu_j`` is the closest point of the hull.
    """
    import cvxpy as cp

    mu_expert, mu_policies = _check_vectors(mu_expert, mu_policies)
    psi = cp.Variable(mu_expert.size)
    t = cp.Variable()
    margins = (mu_expert[None, :] - mu_policies) @ psi
    constraints = [margins >= t, cp.norm(psi, 2) <= 1]
    problem = cp.Problem(cp.Maximize(t), constraints)
    problem.solve(**_SOLVER)
    if problem.status not in ("optimal", "optimal_inaccurate"):
        raise ValueError(f"the max-margin QP could not be solved (status {problem.status})")
    return MarginSolution(weights=np.asarray(psi.value, dtype=np.float64), margin=float(t.value),
                          multipliers=np.maximum(np.asarray(constraints[0].dual_value, dtype=np.float64), 0.0),
                          slacks=np.zeros(len(mu_policies)))


def svm_max_margin(mu_expert, mu_policies, slack_penalty=None) -> MarginSolution:
    """The SVM form: ``min (1/2)|psi|^2 + C sum_j xi_j`` s.t. ``psi . (mu_E - mu_j) >= 1 - xi_j``, ``xi >= 0``.

    Without slack (``slack_penalty=None``, all ``xi = 0``) it is equivalent to
    :func:`max_margin_qp` with ``psi_svm = psi / t`` whenever ``t > 0``, and
    *infeasible* when ``mu_E`` lies in the convex hull of the ``mu_j``: then it
    raises ``ValueError``. With ``slack_penalty = C > 0`` it is always feasible.
    """
    import cvxpy as cp

    mu_expert, mu_policies = _check_vectors(mu_expert, mu_policies)
    if slack_penalty is not None:
        slack_penalty = check_positive(slack_penalty, "slack_penalty")
    psi = cp.Variable(mu_expert.size)
    margins = (mu_expert[None, :] - mu_policies) @ psi
    if slack_penalty is None:
        xi = np.zeros(len(mu_policies))
        constraints = [margins >= 1]
        objective = 0.5 * cp.sum_squares(psi)
    else:
        xi = cp.Variable(len(mu_policies), nonneg=True)
        constraints = [margins >= 1 - xi]
        objective = 0.5 * cp.sum_squares(psi) + slack_penalty * cp.sum(xi)
    problem = cp.Problem(cp.Minimize(objective), constraints)
    problem.solve(**_SOLVER)
    if problem.status in ("infeasible", "infeasible_inaccurate"):
        raise ValueError("the SVM max-margin QP is infeasible: mu_expert lies in the convex hull of "
                         "mu_policies, so no reward makes the expert beat every policy by a margin "
                         "(pass slack_penalty to allow slack)")
    if problem.status not in ("optimal", "optimal_inaccurate"):
        raise ValueError(f"the SVM max-margin QP could not be solved (status {problem.status})")
    weights = np.asarray(psi.value, dtype=np.float64)
    slacks = np.zeros(len(mu_policies)) if slack_penalty is None else np.maximum(np.asarray(xi.value), 0.0)
    norm = float(np.linalg.norm(weights))
    return MarginSolution(weights=weights, margin=1.0 / norm if norm > 0 else np.inf,
                          multipliers=np.maximum(np.asarray(constraints[0].dual_value, dtype=np.float64), 0.0),
                          slacks=slacks)


def closest_mixture(mu_expert, mu_policies):
    """``min_lambda |mu_E - sum_j lambda_j mu_j|`` over the simplex (cvxpy).

    Returns ``(lambda [J], distance)``: the mixture of the found policies whose
    feature expectations come closest to the expert's (Abbeel & Ng, section 3).
    """
    import cvxpy as cp

    mu_expert, mu_policies = _check_vectors(mu_expert, mu_policies)
    lam = cp.Variable(len(mu_policies), nonneg=True)
    problem = cp.Problem(cp.Minimize(cp.norm(mu_policies.T @ lam - mu_expert, 2)), [cp.sum(lam) == 1])
    problem.solve(**_SOLVER)
    weights = np.maximum(np.asarray(lam.value, dtype=np.float64), 0.0)
    weights /= weights.sum()
    return weights, float(np.linalg.norm(mu_policies.T @ weights - mu_expert))


# ------------------------------------------------- Abbeel & Ng's two algorithms


@dataclass(kw_only=True)
class FeatureMatchingResult(IRLResult):
    """Outcome of :func:`projection_irl` or :func:`max_margin_irl` (an :class:`~irlbook.core.result.IRLResult`).

    weights : [F]              the last reward weights ``psi`` (the one that produced ``t <= epsilon``)
    reward : [S] or [S, A]     ``features @ weights``
    policy : [T, S, A]         the optimal policy of ``reward`` (the output proper is the *mixture*
                               of the ``pi_j`` with weights ``mixture``, not a Markov policy)
    policy_weights : [J, F]    ``psi_j`` whose optimal policy is ``pi_j`` (row 0: NaN, the random ``pi_0``)
    mu : [J, F]                feature expectations of ``pi_0 .. pi_{J-1}``
    mixture : [J]              ``lambda``: the mixture of the ``pi_j`` whose features are closest to ``mu_E``
    mu_expert : [F]            the target ``mu_E``
    converged : bool           ``t <= epsilon * sum_t gamma^t`` before ``n_iterations`` planning steps
    iterations : int           number of planning steps taken (policies computed after ``pi_0``)
    weight_history : [i, F]    ``psi_i`` of every reward step
    history : dict             per reward step ``i = 1, 2, ...``: ``margin`` (``t_i``, unnormalised),
                               ``distance`` (``|mu_E - mu_bar|`` of the closest mixture, normalised
                               by ``sum_t gamma^t``)
    """

    weights: np.ndarray
    policy_weights: np.ndarray
    mu: np.ndarray
    mixture: np.ndarray
    mu_expert: np.ndarray
    converged: bool
    iterations: int
    weight_history: np.ndarray

    def mixture_mu(self) -> np.ndarray:
        """``sum_j lambda_j mu_j`` [F]: the feature expectations of the mixed policy."""
        return self.mixture @ self.mu


def _setup(mdp, features, demos, expert_policy, epsilon, n_iterations):
    check_mdp(mdp)
    features = check_features(mdp, features)
    mu_expert = expert_feature_expectations(mdp, features, demos, expert_policy)
    epsilon = check_positive(epsilon, "epsilon")
    n_iterations = check_positive_int(n_iterations, "n_iterations")
    scale = float(discount_weights(mdp).sum())  # sum_t gamma^t: mu / scale is a distribution for one-hot f
    uniform = np.full((mdp.n_states, mdp.n_actions), 1.0 / mdp.n_actions)
    mu_0 = expected_feature_counts(mdp, uniform, features)  # pi_0: uniformly random actions
    return features, mu_expert, epsilon, n_iterations, scale, mu_0


def _result(mdp, features, psi, psis, mus, mixture, mu_expert, converged, history) -> FeatureMatchingResult:
    """Pack the lists both algorithms accumulate into a :class:`FeatureMatchingResult`."""
    return FeatureMatchingResult(
        weights=psi, reward=features @ psi, policy=policy_of(mdp, features, psi),
        policy_weights=np.array(psis), mu=np.array(mus), mixture=mixture, mu_expert=mu_expert,
        converged=converged, iterations=len(mus) - 1, weight_history=np.array(history.pop("weights")),
        history=as_history(**history),
    )


def _record(history: dict, margin: float, distance: float, psi, threshold: float, budget_spent: bool):
    """Log one iteration of projection / max margin; return ``(converged, stop)``: converged when the
    margin is within ``threshold``, stopped then or when the iteration budget is spent."""
    history["margin"].append(margin)
    history["distance"].append(distance)
    history["weights"].append(psi)
    converged = margin <= threshold
    return converged, converged or budget_spent


def projection_irl(mdp: TabularMDP, features, demos: Demonstrations | None = None, epsilon: float = 0.01,
                   n_iterations: int = 50, *, expert_policy=None) -> FeatureMatchingResult:
    """Abbeel & Ng's projection algorithm.

    mdp : TabularMDP;  features : [S, F] or [S, A, F];  demos : the expert's
    :class:`~irlbook.core.demonstrations.Demonstrations` (``mu_E`` = their feature counts) --
    or, keyword-only, ``expert_policy`` [T, S, A] for the exact ``mu_E`` of infinitely many demos;
    epsilon : tolerance on the normalised distance;  n_iterations : maximum number of planning steps.

    ``mu_bar_0 = mu_0``; for ``i = 1, 2, ...``: ``psi_i = mu_E - mu_bar_{i-1}``,
    ``t_i = |psi_i|``; stop if ``t_i <= epsilon * sum_t gamma^t``; else plan
    ``pi_i`` for ``psi_i``, and project ``mu_E`` on the segment from ``mu_bar_{i-1}``
    to ``mu_i`` (the step is clipped to [0, 1] so ``mu_bar`` stays a mixture).
    """
    features, mu_expert, epsilon, n_iterations, scale, mu_0 = _setup(
        mdp, features, demos, expert_policy, epsilon, n_iterations)
    mus, psis = [mu_0], [np.full(mu_expert.size, np.nan)]
    mixture = np.array([1.0])
    mu_bar = mu_0.copy()
    history = {"margin": [], "distance": [], "weights": []}
    while True:
        psi = mu_expert - mu_bar
        t = float(np.linalg.norm(psi))
        converged, stop = _record(history, t, t / scale, psi, epsilon * scale, len(mus) - 1 >= n_iterations)
        if stop:
            break
        mu_i = expected_feature_counts(mdp, policy_of(mdp, features, psi), features)
        mus.append(mu_i)
        psis.append(psi)
        step = mu_i - mu_bar
        denominator = float(step @ step)
        alpha = 0.0 if denominator == 0 else float(np.clip(step @ (mu_expert - mu_bar) / denominator, 0.0, 1.0))
        mu_bar = mu_bar + alpha * step
        mixture = np.append((1.0 - alpha) * mixture, alpha)
    return _result(mdp, features, psi, psis, mus, mixture, mu_expert, converged, history)


def max_margin_irl(mdp: TabularMDP, features, demos: Demonstrations | None = None, epsilon: float = 0.01,
                   n_iterations: int = 50, *, expert_policy=None) -> FeatureMatchingResult:
    """Abbeel & Ng's max-margin algorithm (constraint generation).

    Same arguments as :func:`projection_irl`. For ``i = 1, 2, ...``: solve
    :func:`max_margin_qp` over ``mu_0 .. mu_{i-1}`` for ``(psi_i, t_i)``; stop if
    ``t_i <= epsilon * sum_t gamma^t``; else plan ``pi_i`` for ``psi_i`` and add
    its feature expectations as a new constraint. The mixture weights are the
    QP's multipliers (the closest point of the hull), taken from the
    :func:`closest_mixture` solve of the last step (over the final ``mu_0 .. mu_J``).
    """
    features, mu_expert, epsilon, n_iterations, scale, mu_0 = _setup(
        mdp, features, demos, expert_policy, epsilon, n_iterations)
    mus, psis = [mu_0], [np.full(mu_expert.size, np.nan)]
    history = {"margin": [], "distance": [], "weights": []}
    while True:
        solution = max_margin_qp(mu_expert, np.array(mus))
        psi, t = solution.weights, solution.margin
        mixture, distance = closest_mixture(mu_expert, np.array(mus))
        converged, stop = _record(history, t, distance / scale, psi, epsilon * scale, len(mus) - 1 >= n_iterations)
        if stop:
            break
        mus.append(expected_feature_counts(mdp, policy_of(mdp, features, psi), features))
        psis.append(psi)
    return _result(mdp, features, psi, psis, mus, mixture, mu_expert, converged, history)


# ------------------------------------------------------ maximum margin planning


def hamming_loss(mdp: TabularMDP, demos: Demonstrations) -> np.ndarray:
    """A Hamming-style loss ``l(s, a) = 1 - p_E(a | s)``, shape [S, A].

    ``p_E(a | s)`` is the demonstrations' empirical action frequency in ``s``; in
    states the expert never visited every action costs 1. ``L(pi) = sum_t gamma^t
    E_pi[l(s_t, a_t)]`` is then the expected discounted number of steps on which
    ``pi`` disagrees with the expert.
    """
    check_mdp(mdp)
    demos = check_demos(mdp, demos, need_actions=True, arrays=False)
    counts = demos.occupancy(mdp.n_states, mdp.n_actions).sum(axis=0)
    visits = counts.sum(axis=1, keepdims=True)
    frequency = np.divide(counts, visits, out=np.zeros_like(counts), where=visits > 0)
    return 1.0 - frequency


def policy_loss(mdp: TabularMDP, policy, loss) -> float:
    """``L(pi) = sum_t gamma^t sum_{s,a} D_t(s) pi_t(a|s) l(s, a)``; loss : finite [S, A]."""
    check_mdp(mdp)
    loss = as_array(loss, "loss", shape=(mdp.n_states, mdp.n_actions))
    visitation = state_action_visitation(mdp, policy)
    return float(discount_weights(mdp) @ np.einsum("tsa,sa->t", visitation, loss))


@dataclass(kw_only=True)
class MMPResult(IRLResult):
    """Outcome of :func:`mmp` (an :class:`~irlbook.core.result.IRLResult`).

    weights : [F]          the weights with the lowest objective seen
    reward : [S] or [S, A] ``features @ weights``
    policy : [T, S, A]     the optimal policy of ``reward`` (without the loss)
    loss : [S, A]          the loss ``l``
    mu_expert : [F]
    weight_history : [n, F]  ``psi`` at every iteration
    mu_history : [n, F]    feature expectations of the loss-augmented policies
    history : dict         per iteration: ``objective``, ``slack`` (the hinge
                           ``max_pi [psi.mu(pi) + L(pi)] - psi.mu_E``), ``loss``
                           (``L`` of the loss-augmented policy)
    """

    weights: np.ndarray
    loss: np.ndarray
    mu_expert: np.ndarray
    weight_history: np.ndarray
    mu_history: np.ndarray


def mmp(mdp: TabularMDP, features, demos: Demonstrations, loss=None, l2: float = 1.0,
        step_size: float = 1.0, n_iterations: int = 100) -> MMPResult:
    """Maximum margin planning by subgradient descent.

    mdp : TabularMDP;  features : [S, F] or [S, A, F];  demos : :class:`~irlbook.core.demonstrations.Demonstrations`
    with actions;  loss : [S, A] (default: :func:`hamming_loss` of the demonstrations)
    l2 : ``lambda > 0`` in ``(lambda/2)|psi|^2``;  step_size : ``alpha_0``, step ``alpha_0 / sqrt(k)``
    n_iterations : number of subgradient steps.

    Objective ``c(psi) = (l2/2)|psi|^2 + max_pi [psi . mu(pi) + L(pi)] - psi . mu_E``;
    subgradient ``l2 psi + mu(pi*) - mu_E`` with ``pi*`` optimal for the
    loss-augmented reward ``f . psi + l``.
    """
    check_mdp(mdp)
    features = check_features(mdp, features)
    demos = check_demos(mdp, demos, need_actions=True, arrays=False)
    loss = hamming_loss(mdp, demos) if loss is None else as_array(loss, "loss", shape=(mdp.n_states, mdp.n_actions))
    l2 = check_positive(l2, "l2")
    step_size = check_positive(step_size, "step_size")
    n_iterations = check_positive_int(n_iterations, "n_iterations")
    mu_expert = demos.feature_counts(features, mdp.discount)

    psi = np.zeros(features.shape[-1])
    best = (np.inf, psi)
    history = {"objective": [], "slack": [], "loss": [], "weights": [], "mu": []}
    for k in range(1, n_iterations + 1):
        reward = features @ psi
        if reward.ndim == 1:                                            # state reward -> [S, A]
            reward = reward[:, None]
        augmented = value_iteration(mdp, reward + loss).policy         # loss-augmented planning
        mu_star = expected_feature_counts(mdp, augmented, features)
        loss_star = policy_loss(mdp, augmented, loss)
        slack = float(psi @ mu_star + loss_star - psi @ mu_expert)     # hinge >= L(pi_E)-ish >= 0
        objective = 0.5 * l2 * psi @ psi + slack
        for key, value in (("objective", objective), ("slack", slack), ("loss", loss_star),
                           ("weights", psi.copy()), ("mu", mu_star)):
            history[key].append(value)
        if objective < best[0]:
            best = (objective, psi.copy())
        psi = psi - step_size / np.sqrt(k) * (l2 * psi + mu_star - mu_expert)
    weights = best[1]
    return MMPResult(weights=weights, reward=features @ weights, policy=policy_of(mdp, features, weights),
                     loss=loss, mu_expert=mu_expert, weight_history=np.array(history.pop("weights")),
                     mu_history=np.array(history.pop("mu")), history=as_history(**history))
