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

from dataclasses import dataclass, field

import numpy as np

from ..core.mdp import TabularMDP
from ..core.demonstrations import check_demos, empirical_feature_counts
from ..core.mdp import check_mdp
from ..core.planning import value_iteration
from ..validation import check_features, check_policy
from ..core.visitation import (
    discount_weights,
    expected_feature_counts,
    state_action_visitation,
)

# ---------------------------------------------------------------- validation


def _check_vectors(mu_expert, mu_policies):
    mu_expert = np.asarray(mu_expert, dtype=np.float64)
    mu_policies = np.atleast_2d(np.asarray(mu_policies, dtype=np.float64))
    if mu_expert.ndim != 1 or mu_expert.size == 0:
        raise ValueError(f"mu_expert must be a non-empty vector [F], got shape {mu_expert.shape}")
    if mu_policies.ndim != 2 or mu_policies.shape[1] != mu_expert.size or mu_policies.shape[0] == 0:
        raise ValueError(f"mu_policies must have shape [J, F={mu_expert.size}], got {mu_policies.shape}")
    if not (np.all(np.isfinite(mu_expert)) and np.all(np.isfinite(mu_policies))):
        raise ValueError("mu_expert and mu_policies must be finite")
    return mu_expert, mu_policies


def _positive(name: str, value, integer: bool = False):
    ok = isinstance(value, (int, np.integer)) and not isinstance(value, bool) if integer else True
    try:
        number = float(value)
    except (TypeError, ValueError):
        ok = False
        number = float("nan")
    if not ok or not np.isfinite(number) or number <= 0:
        kind = "a positive integer" if integer else "a positive number"
        raise ValueError(f"{name} must be {kind}, got {value!r}")
    return int(value) if integer else number


# ------------------------------------------------------- feature expectations


def feature_expectations(mdp: TabularMDP, features, policy=None, demo_states=None, demo_actions=None) -> np.ndarray:
    """Feature expectations ``mu = E[sum_t gamma^t f(s_t[, a_t])]``, shape [F].

    Pass either ``policy`` [T, S, A] (exact, by a forward pass through the
    dynamics) or demonstrations ``demo_states`` (and ``demo_actions``) int [N, T]
    (the empirical average over the N trajectories, Abbeel & Ng's ``mu_hat_E``).
    """
    check_mdp(mdp)
    features = check_features(mdp, features)
    if (policy is None) == (demo_states is None):
        raise ValueError("pass exactly one of policy or demo_states")
    if policy is not None:
        return expected_feature_counts(mdp, check_policy(mdp, policy), features)
    demo_states, demo_actions = check_demos(mdp, features, demo_states, demo_actions)
    return empirical_feature_counts(features, demo_states, demo_actions, mdp.discount)


def policy_of(mdp: TabularMDP, features, weights) -> np.ndarray:
    """The optimal policy [T, S, A] of the reward ``features @ weights`` (hard value iteration)."""
    return value_iteration(mdp, features @ np.asarray(weights, dtype=np.float64)).policy


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
        slack_penalty = _positive("slack_penalty", slack_penalty)
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


@dataclass
class FeatureMatchingResult:
    """Outcome of :func:`projection_irl` or :func:`max_margin_irl`.

    weights : [F]              the last reward weights ``psi`` (the one that produced ``t <= epsilon``)
    policy_weights : [J, F]    ``psi_j`` whose optimal policy is ``pi_j`` (row 0: NaN, the random ``pi_0``)
    mu : [J, F]                feature expectations of ``pi_0 .. pi_{J-1}``
    mixture : [J]              ``lambda``: the mixture of the ``pi_j`` whose features are closest to ``mu_E``
    mu_expert : [F]            the target ``mu_E``
    converged : bool           ``t <= epsilon * sum_t gamma^t`` before ``max_iter`` planning steps
    iterations : int           number of planning steps taken (policies computed after ``pi_0``)
    history : dict             per reward step ``i = 1, 2, ...``: ``margin`` (``t_i``, unnormalised),
                               ``distance`` (``|mu_E - mu_bar|`` of the closest mixture, normalised
                               by ``sum_t gamma^t``), ``weights`` [i, F]
    """

    weights: np.ndarray
    policy_weights: np.ndarray
    mu: np.ndarray
    mixture: np.ndarray
    mu_expert: np.ndarray
    converged: bool
    iterations: int
    history: dict = field(default_factory=dict)

    def mixture_mu(self) -> np.ndarray:
        """``sum_j lambda_j mu_j`` [F]: the feature expectations of the mixed policy."""
        return self.mixture @ self.mu


def _setup(mdp, features, mu_expert, epsilon, max_iter):
    check_mdp(mdp)
    features = check_features(mdp, features)
    mu_expert = np.asarray(mu_expert, dtype=np.float64)
    if mu_expert.shape != (features.shape[-1],) or not np.all(np.isfinite(mu_expert)):
        raise ValueError(f"mu_expert must be a finite vector of shape [F] = ({features.shape[-1]},), "
                         f"got shape {mu_expert.shape}")
    epsilon = _positive("epsilon", epsilon)
    max_iter = _positive("max_iter", max_iter, integer=True)
    scale = float(discount_weights(mdp).sum())  # sum_t gamma^t: mu / scale is a distribution for one-hot f
    uniform = np.full((mdp.n_states, mdp.n_actions), 1.0 / mdp.n_actions)
    mu_0 = expected_feature_counts(mdp, uniform, features)  # pi_0: uniformly random actions
    return features, mu_expert, epsilon, max_iter, scale, mu_0


def _result(psi, psis, mus, mixture, mu_expert, converged, history) -> FeatureMatchingResult:
    """Pack the lists both algorithms accumulate into a :class:`FeatureMatchingResult`."""
    return FeatureMatchingResult(
        weights=psi, policy_weights=np.array(psis), mu=np.array(mus), mixture=mixture, mu_expert=mu_expert,
        converged=converged, iterations=len(mus) - 1,
        history={key: np.array(values) for key, values in history.items()},
    )


def projection_irl(mdp: TabularMDP, features, mu_expert, epsilon: float = 0.01,
                   max_iter: int = 50) -> FeatureMatchingResult:
    """Abbeel & Ng's projection algorithm.

    mdp : TabularMDP;  features : [S, F] or [S, A, F];  mu_expert : [F]
    (from :func:`feature_expectations`);  epsilon : tolerance on the normalised
    distance;  max_iter : maximum number of planning steps.

    ``mu_bar_0 = mu_0``; for ``i = 1, 2, ...``: ``psi_i = mu_E - mu_bar_{i-1}``,
    ``t_i = |psi_i|``; stop if ``t_i <= epsilon * sum_t gamma^t``; else plan
    ``pi_i`` for ``psi_i``, and project ``mu_E`` on the segment from ``mu_bar_{i-1}``
    to ``mu_i`` (the step is clipped to [0, 1] so ``mu_bar`` stays a mixture).
    """
    features, mu_expert, epsilon, max_iter, scale, mu_0 = _setup(mdp, features, mu_expert, epsilon, max_iter)
    mus, psis = [mu_0], [np.full(mu_expert.size, np.nan)]
    mixture = np.array([1.0])
    mu_bar = mu_0.copy()
    history = {"margin": [], "distance": [], "weights": []}
    converged = False
    while True:
        psi = mu_expert - mu_bar
        t = float(np.linalg.norm(psi))
        history["margin"].append(t)
        history["distance"].append(t / scale)
        history["weights"].append(psi)
        if t <= epsilon * scale:
            converged = True
            break
        if len(mus) - 1 >= max_iter:
            break
        mu_i = expected_feature_counts(mdp, policy_of(mdp, features, psi), features)
        mus.append(mu_i)
        psis.append(psi)
        step = mu_i - mu_bar
        denominator = float(step @ step)
        alpha = 0.0 if denominator == 0 else float(np.clip(step @ (mu_expert - mu_bar) / denominator, 0.0, 1.0))
        mu_bar = mu_bar + alpha * step
        mixture = np.append((1.0 - alpha) * mixture, alpha)
    return _result(psi, psis, mus, mixture, mu_expert, converged, history)


def max_margin_irl(mdp: TabularMDP, features, mu_expert, epsilon: float = 0.01,
                   max_iter: int = 50) -> FeatureMatchingResult:
    """Abbeel & Ng's max-margin algorithm (constraint generation).

    Same arguments as :func:`projection_irl`. For ``i = 1, 2, ...``: solve
    :func:`max_margin_qp` over ``mu_0 .. mu_{i-1}`` for ``(psi_i, t_i)``; stop if
    ``t_i <= epsilon * sum_t gamma^t``; else plan ``pi_i`` for ``psi_i`` and add
    its feature expectations as a new constraint. The mixture weights are the
    QP's multipliers (the closest point of the hull), taken from the
    :func:`closest_mixture` solve of the last step (over the final ``mu_0 .. mu_J``).
    """
    features, mu_expert, epsilon, max_iter, scale, mu_0 = _setup(mdp, features, mu_expert, epsilon, max_iter)
    mus, psis = [mu_0], [np.full(mu_expert.size, np.nan)]
    history = {"margin": [], "distance": [], "weights": []}
    converged = False
    while True:
        solution = max_margin_qp(mu_expert, np.array(mus))
        psi, t = solution.weights, solution.margin
        mixture, distance = closest_mixture(mu_expert, np.array(mus))
        history["margin"].append(t)
        history["distance"].append(distance / scale)
        history["weights"].append(psi)
        if t <= epsilon * scale:
            converged = True
            break
        if len(mus) - 1 >= max_iter:
            break
        mus.append(expected_feature_counts(mdp, policy_of(mdp, features, psi), features))
        psis.append(psi)
    return _result(psi, psis, mus, mixture, mu_expert, converged, history)


# ------------------------------------------------------ maximum margin planning


def hamming_loss(mdp: TabularMDP, demo_states, demo_actions) -> np.ndarray:
    """A Hamming-style loss ``l(s, a) = 1 - p_E(a | s)``, shape [S, A].

    ``p_E(a | s)`` is the demonstrations' empirical action frequency in ``s``; in
    states the expert never visited every action costs 1. ``L(pi) = sum_t gamma^t
    E_pi[l(s_t, a_t)]`` is then the expected discounted number of steps on which
    ``pi`` disagrees with the expert.
    """
    check_mdp(mdp)
    demo_states, demo_actions = check_demos(mdp, np.zeros((mdp.n_states, 1)), demo_states, demo_actions)
    if demo_actions is None:
        raise ValueError("demo_actions are required for the Hamming loss")
    counts = np.zeros((mdp.n_states, mdp.n_actions))
    np.add.at(counts, (demo_states.ravel(), demo_actions.ravel()), 1.0)
    visits = counts.sum(axis=1, keepdims=True)
    frequency = np.divide(counts, visits, out=np.zeros_like(counts), where=visits > 0)
    return 1.0 - frequency


def policy_loss(mdp: TabularMDP, policy, loss) -> float:
    """``L(pi) = sum_t gamma^t sum_{s,a} D_t(s) pi_t(a|s) l(s, a)``."""
    visitation = state_action_visitation(mdp, policy)
    return float(discount_weights(mdp) @ np.einsum("tsa,sa->t", visitation, loss))


@dataclass
class MMPResult:
    """Outcome of :func:`mmp`.

    weights : [F]          the weights with the lowest objective seen
    policy : [T, S, A]     the optimal policy of ``features @ weights`` (without the loss)
    loss : [S, A]          the loss ``l``
    mu_expert : [F]
    history : dict         per iteration: ``objective``, ``slack`` (the hinge
                           ``max_pi [psi.mu(pi) + L(pi)] - psi.mu_E``), ``loss``
                           (``L`` of the loss-augmented policy), ``weights`` [n, F], ``mu`` [n, F]
                           (feature expectations of the loss-augmented policies)
    """

    weights: np.ndarray
    policy: np.ndarray
    loss: np.ndarray
    mu_expert: np.ndarray
    history: dict = field(default_factory=dict)


def mmp(mdp: TabularMDP, features, demo_states, demo_actions, loss=None, l2: float = 1.0,
        step_size: float = 1.0, n_iter: int = 100) -> MMPResult:
    """Maximum margin planning by subgradient descent.

    mdp : TabularMDP;  features : [S, F] or [S, A, F];  demo_states, demo_actions : int [N, T]
    loss : [S, A] (default: :func:`hamming_loss` of the demonstrations)
    l2 : ``lambda > 0`` in ``(lambda/2)|psi|^2``;  step_size : ``alpha_0``, step ``alpha_0 / sqrt(k)``
    n_iter : number of subgradient steps.

    Objective ``c(psi) = (l2/2)|psi|^2 + max_pi [psi . mu(pi) + L(pi)] - psi . mu_E``;
    subgradient ``l2 psi + mu(pi*) - mu_E`` with ``pi*`` optimal for the
    loss-augmented reward ``f . psi + l``.
    """
    check_mdp(mdp)
    features = check_features(mdp, features)
    demo_states, demo_actions = check_demos(mdp, features, demo_states, demo_actions)
    if demo_actions is None:
        raise ValueError("demo_actions are required for maximum margin planning")
    if loss is None:
        loss = hamming_loss(mdp, demo_states, demo_actions)
    loss = np.asarray(loss, dtype=np.float64)
    if loss.shape != (mdp.n_states, mdp.n_actions) or not np.all(np.isfinite(loss)):
        raise ValueError(f"loss must be a finite array of shape [S, A] = ({mdp.n_states}, {mdp.n_actions}), "
                         f"got {loss.shape}")
    l2 = _positive("l2", l2)
    step_size = _positive("step_size", step_size)
    n_iter = _positive("n_iter", n_iter, integer=True)
    mu_expert = empirical_feature_counts(features, demo_states, demo_actions, mdp.discount)

    psi = np.zeros(features.shape[-1])
    best = (np.inf, psi)
    history = {"objective": [], "slack": [], "loss": [], "weights": [], "mu": []}
    for k in range(1, n_iter + 1):
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
    return MMPResult(weights=weights, policy=policy_of(mdp, features, weights), loss=loss, mu_expert=mu_expert,
                     history={key: np.array(value) for key, value in history.items()})
