"""Exact maximum-entropy IRL for tabular MDPs with linear rewards (chapter 4).

The reward is linear in features, ``r_w(s) = f(s) . w`` (or ``f(s, a) . w``).
The learner minimises the convex dual objective of chapter 5,

    g(w) = E_{s_0 ~ p_0}[V_0(s_0; w)] - w . f_demo + (l2 / 2) |w|^2,

where ``V_0`` comes from soft value iteration (causal or non-causal) and
``f_demo = (1/N) sum_n sum_t gamma^t f(s_t^n)`` are the demonstrations' feature
counts. Its gradient is the famous difference

    grad g(w) = mu(w) - f_demo + l2 w,     mu(w) = sum_t gamma^t sum_s D_t(s) f(s),

learner's expected feature counts minus the expert's: one backward pass
(soft value iteration), one forward pass (visitation), cost ``O(T * nnz(P) * F)``.
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

from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import minimize

from ..core.mdp import TabularMDP
from ..core.demonstrations import check_demos, empirical_feature_counts
from ..core.mdp import check_mdp
from ..core.planning import PlanningResult, soft_value_iteration
from ..core.visitation import discount_weights
from ..validation import check_features


@dataclass
class MaxEntResult:
    """Outcome of :func:`maxent_irl`.

    weights : [F]            learned reward weights ``w``
    reward : [S] or [S, A]   ``features @ weights``
    policy : [T, S, A]       the soft-optimal policy of the learned reward
    visitation : [T, S]      the model's own state visitation (for the non-causal
                             model under stochastic dynamics it differs from
                             ``state_visitation(mdp, policy)``)
    expected_counts : [F]    ``mu(w)``; ``demo_counts`` : [F] the expert's
    feature_gap : float      ``max |mu(w) - f_demo| / max(1, max |f_demo|)``
    converged : bool         ``feature_gap <= tol`` (with ``l2 = 0``), or the
                             regularised stationarity condition (with ``l2 > 0``)
    history : dict           per iteration: ``objective`` (dual), ``feature_gap``
    """

    weights: np.ndarray
    reward: np.ndarray
    policy: np.ndarray
    visitation: np.ndarray
    expected_counts: np.ndarray
    demo_counts: np.ndarray
    feature_gap: float
    converged: bool
    history: dict = field(default_factory=dict)


def model_visitation(mdp: TabularMDP, plan: PlanningResult, causal: bool = True) -> np.ndarray:
    """State visitation [T, S] of the MaxEnt trajectory model whose soft plan is ``plan``.

    Causal: roll the policy through the true dynamics. Non-causal: roll it
    through the dynamics tilted by ``exp(V_{t+1})`` (temperature 1).
    """
    T = mdp.horizon
    D = np.empty((T, mdp.n_states))
    D[0] = mdp.initial
    for t in range(T - 1):
        weights = D[t][:, None] * plan.policy[t]
        D[t + 1] = mdp.push_forward(weights) if causal else mdp.push_forward_tilted(weights, plan.v[t + 1])
    return D


def expected_counts_from_visitation(mdp: TabularMDP, visitation, policy, features) -> np.ndarray:
    """``sum_t gamma^t E_{D_t, pi_t}[f]``, shape [F], for state or state-action features."""
    gammas = discount_weights(mdp)
    if features.ndim == 2:
        return (gammas @ visitation) @ features
    return np.einsum("t,ts,tsa,saf->f", gammas, visitation, policy, features)


def maxent_objective(mdp: TabularMDP, features, weights, demo_counts, causal: bool = True, l2: float = 0.0):
    """Dual objective ``g(w)``, its gradient [F], and the plan and visitation behind them."""
    reward = features @ weights
    plan = soft_value_iteration(mdp, reward, temperature=1.0, causal=causal)
    visitation = model_visitation(mdp, plan, causal)
    expected = expected_counts_from_visitation(mdp, visitation, plan.policy, features)
    objective = mdp.initial @ plan.v[0] - weights @ demo_counts + 0.5 * l2 * weights @ weights
    gradient = expected - demo_counts + l2 * weights
    return objective, gradient, plan, visitation, expected


def demo_log_likelihood(mdp: TabularMDP, reward, demo_states, demo_actions, causal: bool = True) -> float:
    """Average log-likelihood of demonstrations under the MaxEnt model of ``reward``.

    Causal: ``(1/N) sum_n sum_t log pi_t(a_t | s_t)`` (the policy likelihood).
    Non-causal, given the start state: ``(1/N) sum_n [sum_t r(s_t,a_t)
    + sum_t log P(s_{t+1}|s_t,a_t) - V_0(s_0)]``.
    """
    demo_states, demo_actions = check_demos(mdp, np.zeros((mdp.n_states, 1)), demo_states, demo_actions)
    if demo_actions is None:
        raise ValueError("demo_actions are required for the log-likelihood")
    plan = soft_value_iteration(mdp, reward, temperature=1.0, causal=causal)
    t = np.arange(mdp.horizon)[None, :]
    if causal:
        log_policy = plan.q[t, demo_states, demo_actions] - plan.v[t, demo_states]  # log pi, never log 0
        return float(log_policy.sum(axis=1).mean())
    reward_sa = plan.q[-1]  # Q_{T-1} = r since V_T = 0
    total = reward_sa[demo_states, demo_actions].sum(axis=1) - plan.v[0, demo_states[:, 0]]
    if mdp.horizon > 1:
        p = mdp.probability(demo_states[:, :-1], demo_actions[:, :-1], demo_states[:, 1:])
        with np.errstate(divide="ignore"):
            total = total + np.log(p).sum(axis=1)
    return float(total.mean())


def maxent_irl(mdp: TabularMDP, features, demo_states, demo_actions=None, causal: bool = True,
               l2: float = 0.0, tol: float = 1e-6, max_iter: int = 2000, init=None) -> MaxEntResult:
    """Maximum-entropy IRL with a linear reward, solved exactly by L-BFGS.

    Parameters
    ----------
    mdp : TabularMDP  known dynamics, initial distribution, horizon ``T``, discount
    features : [S, F] or [S, A, F]
    demo_states : int [N, T];  demo_actions : int [N, T] (needed for [S, A, F] features)
    causal : maximum causal entropy (default) or Ziebart 2008's non-causal model
    l2 : L2 penalty ``(l2/2)|w|^2`` (dual to a quadratic relaxation of feature matching)
    tol : stop when ``max |mu(w) - f_demo + l2 w| <= tol * max(1, max |f_demo|)``
    max_iter : L-BFGS iterations;  init : [F] starting weights (zeros by default)

    Returns
    -------
    MaxEntResult (weights, reward, policy, visitation, feature counts, history).
    """
    check_mdp(mdp)
    features = check_features(mdp, features)
    demo_states, demo_actions = check_demos(mdp, features, demo_states, demo_actions)
    if not causal and mdp.discount != 1.0:
        raise ValueError(f"causal=False requires discount == 1, got discount={mdp.discount}")
    l2 = float(l2)
    if not np.isfinite(l2) or l2 < 0:
        raise ValueError(f"l2 must be a non-negative number, got {l2}")
    tol = float(tol)
    if not (tol > 0):
        raise ValueError(f"tol must be positive, got {tol}")
    n_features = features.shape[-1]
    weights = np.zeros(n_features) if init is None else np.asarray(init, dtype=np.float64).copy()
    if weights.shape != (n_features,) or not np.all(np.isfinite(weights)):
        raise ValueError(f"init must be a finite array of shape [F] = ({n_features},)")

    demo_counts = empirical_feature_counts(features, demo_states, demo_actions, mdp.discount)
    scale = max(1.0, float(np.abs(demo_counts).max()))
    history = {"objective": [], "feature_gap": []}
    cache = {}

    def fun(w):
        objective, gradient, *_ = maxent_objective(mdp, features, w, demo_counts, causal, l2)
        cache["last"] = (w.copy(), objective, gradient)
        return objective, gradient

    def record(w):
        _, objective, gradient = cache["last"]
        history["objective"].append(float(objective))
        history["feature_gap"].append(float(np.abs(gradient).max() / scale))

    for _ in range(5):  # L-BFGS restarts if its line search stalls before the tolerance
        solution = minimize(fun, weights, jac=True, method="L-BFGS-B", callback=record,
                            options={"maxiter": max_iter, "gtol": tol * scale * 0.5,
                                     "ftol": 1e-15, "maxcor": 20})
        weights = solution.x
        _, gradient, *_ = maxent_objective(mdp, features, weights, demo_counts, causal, l2)
        if np.abs(gradient).max() / scale <= tol or len(history["objective"]) >= max_iter:
            break

    objective, gradient, plan, visitation, expected = maxent_objective(
        mdp, features, weights, demo_counts, causal, l2)
    stationarity = float(np.abs(gradient).max() / scale)
    feature_gap = float(np.abs(expected - demo_counts).max() / scale)
    return MaxEntResult(
        weights=weights, reward=features @ weights, policy=plan.policy, visitation=visitation,
        expected_counts=expected, demo_counts=demo_counts, feature_gap=feature_gap,
        converged=stationarity <= tol, history={k: np.asarray(v) for k, v in history.items()},
    )
