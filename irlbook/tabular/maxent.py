"""Exact maximum-entropy IRL for tabular MDPs with linear rewards (chapter 4).

The reward is linear in features, ``r_w(s) = f(s) . w`` (or ``f(s, a) . w``).
The learner minimises the convex dual objective of chapter 5,

    g(w) = E_{s_0 ~ p_0}[V_0(s_0; w)] - w . f_demo + (l2 / 2) |w|^2,

where ``V_0`` comes from soft value iteration (causal or non-causal) and
``f_demo = (1/N) sum_n sum_t gamma^t f(s_t^n)`` are the demonstrations' feature
counts. Its gradient is the famous difference

    grad g(w) = mu(w) - f_demo + l2 w,     mu(w) = sum_t gamma^t sum_s D_t(s) f(s),

learner's expected feature counts minus the expert's: one backward pass
(soft value iteration) and one forward pass (visitation), ``O(T * nnz(P))``, then the
counts ``mu = (sum_t gamma^t D_t) @ f``, ``O(T * S + S * F)`` (chapter 4, "Cost").
With ``gamma = 1`` and causal dynamics, ``-g`` equals the demonstrations'
average log-likelihood up to a term that does not depend on ``w`` in
expectation (chapter 5).

Non-causal model (Ziebart et al. 2008): trajectories given the start state
have probability proportional to ``prod_t P(s_{t+1}|s_t,a_t) exp(sum_t r)``. Its
policy is ``beta(s,a)/beta(s)``, but its next-state law is *tilted* towards
high-value successors, so its visitation is computed with
:meth:`TabularMDP.push_forward_tilted`, not by rolling the policy through the
true dynamics. Under deterministic dynamics the two models coincide. Under
stochastic dynamics ``state_visitation(mdp, result.policy)`` (the policy executed
in the real world) differs from ``result.visitation`` (what the model believes
happens): that difference is the non-causal model's optimism. Ziebart et al.
(2008)'s original forward pass rolled ``beta(s,a)/beta(s)`` through the true
dynamics instead, which is not the gradient of the likelihood it maximises.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.optimize import linprog, minimize

from ..core.demonstrations import check_demos
from ..core.mdp import TabularMDP, check_mdp
from ..core.planning import PlanningResult, soft_value_iteration
from ..core.result import IRLResult, as_history
from ..core.visitation import discount_weights, expected_feature_counts, state_visitation
from ..validation import (
    as_array,
    check_bool,
    check_features,
    check_nonnegative,
    check_positive,
    check_positive_int,
    check_reward,
)

#: Largest ``T * S * A`` for which :func:`maxent_irl` checks with a linear programme that the
#: demonstrations' feature counts are achievable (and whether they lie on the boundary).
LP_CHECK_LIMIT = 4_000
#: ``max |features @ w|`` beyond which (with ``l2 = 0``) the weights are taken to diverge: a soft-optimal
#: policy is already deterministic to float64 precision for reward gaps of a few hundred.
DIVERGENCE_REWARD = 1e6


@dataclass(kw_only=True)
class MaxEntResult(IRLResult):
    """Outcome of :func:`maxent_irl` (an :class:`~irlbook.core.result.IRLResult`).

    weights : [F]            learned reward weights ``w``
    reward : [S] or [S, A]   ``features @ weights``
    policy : [T, S, A]       the soft-optimal policy of the learned reward
    visitation : [T, S]      the model's own state visitation (for the non-causal
                             model under stochastic dynamics it differs from
                             ``state_visitation(mdp, policy)``)
    expected_counts : [F]    ``mu(w)``; ``demo_counts`` : [F] the expert's
    feature_gap : float      ``max |mu(w) - f_demo| / max(1, max |f_demo|)``
    converged : bool         the stationarity condition holds: ``feature_gap <= tol`` (with
                             ``l2 = 0``), or its regularised form (with ``l2 > 0``)
    on_boundary : bool | None  ``True`` when (``l2 = 0``) the demonstrations' counts lie on the
                             boundary of the set of counts any policy achieves (e.g. a deterministic
                             optimal expert in a deterministic world): no finite ``w`` matches them,
                             ``converged`` then only means the gap fell below ``tol`` and the
                             weights' size is set by ``tol`` (they grow without bound as
                             ``tol -> 0``; watch ``history["weight_norm"]``). ``False`` when the
                             counts are interior (or ``l2 > 0``), ``None`` when the problem was too
                             large to check (``T*S*A > LP_CHECK_LIMIT``) or the non-causal model
                             runs on stochastic dynamics.
    history : dict           per L-BFGS iteration: ``objective`` (dual), ``feature_gap``, ``weight_norm``
    """

    weights: np.ndarray
    visitation: np.ndarray
    expected_counts: np.ndarray
    demo_counts: np.ndarray
    feature_gap: float
    converged: bool
    on_boundary: bool | None = None


def noncausal_visitation(mdp: TabularMDP, plan: PlanningResult) -> np.ndarray:
    """State visitation [T, S] of the non-causal MaxEnt model whose soft plan is ``plan``: the policy
    rolled through the dynamics tilted by ``exp(V_{t+1})`` (temperature 1). (The causal model's is
    :func:`irlbook.state_visitation` of ``plan.policy``.)"""
    T = mdp.horizon
    D = np.empty((T, mdp.n_states))
    D[0] = mdp.initial
    for t in range(T - 1):
        D[t + 1] = mdp.push_forward_tilted(D[t][:, None] * plan.policy[t], plan.v[t + 1])
    return D


def maxent_objective(mdp: TabularMDP, features, weights, demo_counts, causal: bool = True, l2: float = 0.0,
                     visitation: bool = True):
    """Dual objective ``g(w)``, its gradient [F], and the plan, visitation (``None`` unless ``visitation``;
    the causal model's costs a second forward pass) and expected counts behind them."""
    reward = features @ weights
    plan = soft_value_iteration(mdp, reward, temperature=1.0, causal=causal)
    if causal:
        visitation = state_visitation(mdp, plan.policy) if visitation else None
        expected = expected_feature_counts(mdp, plan.policy, features)
    else:  # the tilted model: its visitation is not that of the policy in the true dynamics
        visitation = noncausal_visitation(mdp, plan)
        occupancy = visitation[:, :, None] * plan.policy                       # [T, S, A]
        per_sa = features if features.ndim == 3 else np.broadcast_to(features[:, None], features.shape[:1]
                                                                        + (mdp.n_actions,) + features.shape[1:])
        expected = np.tensordot(discount_weights(mdp) @ occupancy.reshape(mdp.horizon, -1),
                                per_sa.reshape(-1, features.shape[-1]), axes=1)
    objective = mdp.initial @ plan.v[0] - weights @ demo_counts + 0.5 * l2 * weights @ weights
    gradient = expected - demo_counts + l2 * weights
    return objective, gradient, plan, visitation, expected


def demo_log_likelihood(mdp: TabularMDP, reward, demos=None, demo_actions=None, causal: bool = True, *,
                        demo_states=None) -> float:
    """Average log-likelihood of demonstrations under the MaxEnt model of ``reward``.

    reward : [S], [S, A] or time-varying [T, S, A];  demos : a :class:`Demonstrations` with actions
    (or integer ``demo_states``, ``demo_actions`` [N, T]).

    Causal: ``(1/N) sum_n sum_t log pi_t(a_t | s_t)`` (the policy likelihood).
    Non-causal, given the start state: ``(1/N) sum_n [sum_t r_t(s_t,a_t)
    + sum_t log P(s_{t+1}|s_t,a_t) - V_0(s_0)]``. Both agree under deterministic dynamics.
    """
    check_mdp(mdp)
    demos = check_demos(mdp, _demos_argument(demos, demo_states), demo_actions, need_actions=True)
    reward = check_reward(mdp, reward, time_varying=True)
    causal = check_bool(causal, "causal")
    states, actions = demos.states, demos.actions
    plan = soft_value_iteration(mdp, reward, temperature=1.0, causal=causal)
    t = np.arange(mdp.horizon)[None, :]
    if causal:
        log_policy = plan.q[t, states, actions] - plan.v[t, states]     # log pi, never log 0
        return float(log_policy.sum(axis=1).mean())
    step_reward = reward[t, states, actions] if reward.ndim == 3 else reward[states, actions]
    total = step_reward.sum(axis=1) - plan.v[0, states[:, 0]]
    if mdp.horizon > 1:
        p = mdp.probability(states[:, :-1], actions[:, :-1], states[:, 1:])
        with np.errstate(divide="ignore"):
            total = total + np.log(p).sum(axis=1)
    return float(total.mean())


# ------------------------------------------------------------------ achievable feature counts
def _occupancy_constraints(mdp: TabularMDP, features):
    """Flow constraints ``A_eq x = b_eq`` on occupancies ``x_t(s, a) >= 0`` ([T*S*A], t-major) and the
    count map ``G`` [F, T*S*A] with ``G x = sum_t gamma^t sum_{s,a} x_t(s,a) f(s[, a])``."""
    T, S, A = mdp.horizon, mdp.n_states, mdp.n_actions
    summing = sp.kron(sp.identity(S), np.ones((1, A)), format="csr")                 # [S, S*A]
    flow_in = mdp.as_csr().T.tocsr()                                                    # [S, S*A]
    a_eq = (sp.kron(sp.identity(T), summing) - sp.kron(sp.eye(T, k=-1), flow_in)).tocsr()
    b_eq = np.zeros(T * S)
    b_eq[:S] = mdp.initial
    per_sa = features if features.ndim == 3 else np.repeat(features[:, None, :], A, axis=1)
    g = np.kron(discount_weights(mdp)[None, :], per_sa.reshape(S * A, -1).T)           # [F, T*S*A]
    return a_eq, b_eq, sp.csr_matrix(g)


def feature_count_geometry(mdp: TabularMDP, features, counts) -> tuple[float, float, float]:
    """Where ``counts`` [F] lie relative to the set of feature counts some policy achieves (a polytope).

    Returns ``(distance, interior, tolerance)``: ``distance`` is the smallest ``max_k |mu_k(pi) - counts_k|``
    over policies (0 when achievable); ``interior`` is the largest ``delta`` such that a policy
    within that distance puts occupancy ``>= delta`` on every reachable ``(t, s, a)`` -- 0 (up to the
    solver's accuracy: ``tolerance``) exactly when ``counts`` lie on the relative boundary, where the
    MaxEnt weights diverge. Two linear programmes over ``T*S*A`` occupancies (HiGHS).
    """
    a_eq, b_eq, g = _occupancy_constraints(mdp, features)
    n, F = a_eq.shape[1], g.shape[0]
    ones = sp.csr_matrix(np.ones((F, 1)))
    # 1. distance: min d  s.t.  |G x - c| <= d,  flow,  x >= 0
    a_ub = sp.vstack([sp.hstack([g, -ones]), sp.hstack([-g, -ones])]).tocsr()
    b_ub = np.concatenate([counts, -counts])
    cost = np.zeros(n + 1)
    cost[-1] = 1.0
    first = linprog(cost, A_ub=a_ub, b_ub=b_ub, A_eq=sp.hstack([a_eq, sp.csr_matrix((a_eq.shape[0], 1))]),
                    b_eq=b_eq, bounds=(0, None), method="highs")
    if first.status != 0:
        return np.inf, 0.0, 0.0
    distance = max(float(first.fun), 0.0)
    # 2. interior: max delta  s.t.  x = y + delta * m  (m: 1 on every reachable (t, s, a)),  y >= 0,
    #    flow,  |G x - c| <= distance + slack
    reach = state_visitation(mdp, np.full((mdp.n_states, mdp.n_actions), 1.0 / mdp.n_actions)) > 0
    m = np.repeat(reach.reshape(-1), mdp.n_actions).astype(np.float64)
    slack = distance + 1e-9 * max(1.0, float(np.abs(counts).max()))
    gm = (g @ m)[:, None]
    a_ub = sp.vstack([sp.hstack([g, sp.csr_matrix(gm)]), sp.hstack([-g, sp.csr_matrix(-gm)])]).tocsr()
    b_ub = np.concatenate([counts + slack, -counts + slack])
    cost = np.zeros(n + 1)
    cost[-1] = -1.0
    second = linprog(cost, A_ub=a_ub, b_ub=b_ub, A_eq=sp.hstack([a_eq, sp.csr_matrix((a_eq @ m)[:, None])]),
                     b_eq=b_eq, bounds=[(0, None)] * n + [(0, 1)], method="highs")
    interior = max(-float(second.fun), 0.0) if second.status == 0 else 0.0
    return distance, interior, slack


class _Diverged(Exception):
    pass


def _demos_argument(demos, demo_states):
    """The demonstrations, passed positionally (``demos``) or by the public API's keyword ``demo_states``."""
    if demos is None and demo_states is None:
        raise ValueError("demos is required (a Demonstrations, or integer demo_states [N, T])")
    if demos is not None and demo_states is not None:
        raise ValueError("pass the demonstrations once: as demos or as demo_states, not both")
    return demos if demos is not None else demo_states


def maxent_irl(mdp: TabularMDP, features, demos=None, demo_actions=None, causal: bool = True,
               l2: float = 0.0, tol: float = 1e-6, n_iterations: int = 2000, init=None, *,
               max_iter: int | None = None, demo_states=None) -> MaxEntResult:
    """Maximum-entropy IRL with a linear reward, solved exactly by L-BFGS.

    Parameters
    ----------
    mdp : TabularMDP  known dynamics, initial distribution, horizon ``T``, discount
    features : [S, F] or [S, A, F]
    demos : a :class:`~irlbook.core.demonstrations.Demonstrations` (actions needed for [S, A, F]
        features), or integer ``demo_states`` [N, T] with ``demo_actions`` [N, T] (the public API;
        ``demo_states=`` is accepted as a keyword too)
    causal : maximum causal entropy (default) or Ziebart 2008's non-causal model
    l2 : L2 penalty ``(l2/2)|w|^2`` (dual to a quadratic relaxation of feature matching)
    tol : stop when ``max |mu(w) - f_demo + l2 w| <= tol * max(1, max |f_demo|)``
    n_iterations : maximum number of L-BFGS iterations (``max_iter`` is accepted as an alias)
    init : [F] starting weights (zeros by default)

    Returns
    -------
    MaxEntResult (weights, reward, policy, visitation, feature counts, ``on_boundary``, history).

    Raises
    ------
    ValueError
        with ``l2 = 0``, when the demonstrations' feature counts are not achievable by any policy of
        ``mdp`` (demonstrations from another MDP, or with transitions it forbids): no reward matches
        them and the weights would run off to infinity. Pass ``l2 > 0`` to fit the closest
        regularised model instead.
    """
    check_mdp(mdp)
    features = check_features(mdp, features)
    demos = check_demos(mdp, _demos_argument(demos, demo_states), demo_actions, need_actions=features.ndim == 3)
    causal = check_bool(causal, "causal")
    if not causal and mdp.discount != 1.0:
        raise ValueError(f"causal=False requires discount == 1, got discount={mdp.discount}")
    l2 = check_nonnegative(l2, "l2")
    tol = check_positive(tol, "tol")
    if max_iter is not None:
        max_iter = check_positive_int(max_iter, "max_iter")
        if n_iterations not in (2000, max_iter):
            raise ValueError("pass n_iterations or its alias max_iter, not both")
        n_iterations = max_iter
    n_iterations = check_positive_int(n_iterations, "n_iterations")
    n_features = features.shape[-1]
    weights = np.zeros(n_features) if init is None else as_array(init, "init", shape=(n_features,)).copy()

    demo_counts = demos.feature_counts(features, mdp.discount)
    scale = max(1.0, float(np.abs(demo_counts).max()))
    on_boundary = False if l2 > 0 else None
    deterministic = bool(np.all(np.diff(mdp.as_csr().indptr) == 1))
    if l2 == 0 and (causal or deterministic) and mdp.horizon * mdp.n_states * mdp.n_actions <= LP_CHECK_LIMIT:
        distance, interior, accuracy = feature_count_geometry(mdp, features, demo_counts)
        if distance > max(10 * tol, 1e-6) * scale:
            raise ValueError(
                f"the demonstrations' feature counts are not achievable by any policy of this MDP (they are "
                f"{distance:.3g} from the nearest achievable counts, in max norm): no reward matches them and "
                f"the MaxEnt weights would diverge. Check that the demonstrations come from this MDP "
                f"(transitions it allows, its initial states), or pass l2 > 0 to fit the closest regularised model")
        on_boundary = interior <= 10 * accuracy
    history = {"objective": [], "feature_gap": [], "weight_norm": []}
    cache = {}

    def fun(w):
        objective, gradient, *_ = maxent_objective(mdp, features, w, demo_counts, causal, l2, visitation=False)
        cache["last"] = (w.copy(), objective, gradient)
        return objective, gradient

    def record(w):
        _, objective, gradient = cache["last"]
        history["objective"].append(float(objective))
        history["feature_gap"].append(float(np.abs(gradient).max() / scale))
        history["weight_norm"].append(float(np.linalg.norm(w)))
        if l2 == 0 and np.abs(features @ w).max() > DIVERGENCE_REWARD:    # an accepted iterate, not a trial step
            raise _Diverged

    try:
        for _ in range(5):  # L-BFGS restarts if its line search stalls before the tolerance
            solution = minimize(fun, weights, jac=True, method="L-BFGS-B", callback=record,
                                options={"maxiter": n_iterations, "gtol": tol * scale * 0.5,
                                         "ftol": 1e-15, "maxcor": 20})
            weights = solution.x
            _, gradient, *_ = maxent_objective(mdp, features, weights, demo_counts, causal, l2, visitation=False)
            if np.abs(gradient).max() / scale <= tol or len(history["objective"]) >= n_iterations:
                break
    except _Diverged:
        raise ValueError(
            f"the MaxEnt weights diverge (|features @ w| > {DIVERGENCE_REWARD:g} after "
            f"{len(history['objective'])} iterations): the demonstrations' feature counts are not achievable "
            f"by any policy of this MDP. Check that the demonstrations come from this MDP, or pass l2 > 0"
        ) from None

    objective, gradient, plan, visitation, expected = maxent_objective(
        mdp, features, weights, demo_counts, causal, l2)
    stationarity = float(np.abs(gradient).max() / scale)
    feature_gap = float(np.abs(expected - demo_counts).max() / scale)
    return MaxEntResult(
        weights=weights, reward=features @ weights, policy=plan.policy, visitation=visitation,
        expected_counts=expected, demo_counts=demo_counts, feature_gap=feature_gap,
        converged=stationarity <= tol, on_boundary=on_boundary, history=as_history(**history),
    )
