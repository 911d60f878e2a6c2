"""Tests for exact MaxEnt IRL (chapter 4): gradient, feature matching, causal vs non-causal."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from irlbook import (
    TabularMDP,
    expected_feature_counts,
    sample_trajectories,
    soft_value_iteration,
    state_visitation,
    value_iteration,
)
from irlbook.book.examples import (
    GAMBLE,
    SAFE,
    gamble_features,
    gamble_mdp,
    gamble_reward,
    label_bias_tree,
    route_local_probabilities,
    route_maxent_probabilities,
)
from irlbook.tabular.maxent import demo_log_likelihood, maxent_irl, maxent_objective
from tests.helpers import random_mdp


@pytest.mark.parametrize("causal,discount,sa", [(True, 0.9, False), (True, 1.0, True), (False, 1.0, False),
                                                (False, 1.0, True)])
def test_gradient_matches_finite_differences(causal, discount, sa):
    mdp = random_mdp(0, S=6, A=3, T=5, discount=discount, power=3, initial=0)
    rng = np.random.default_rng(1)
    features = rng.normal(size=(6, 3, 4) if sa else (6, 4))
    demo_counts = rng.normal(size=4)
    w = rng.normal(size=4)
    _, grad, *_ = maxent_objective(mdp, features, w, demo_counts, causal, l2=0.3)
    eps = 1e-6
    numeric = np.array([
        (maxent_objective(mdp, features, w + eps * e, demo_counts, causal, 0.3)[0]
         - maxent_objective(mdp, features, w - eps * e, demo_counts, causal, 0.3)[0]) / (2 * eps)
        for e in np.eye(4)])
    np.testing.assert_allclose(grad, numeric, rtol=1e-6, atol=1e-8)


def test_gradient_matches_torch_autograd():
    torch = pytest.importorskip("torch")
    from irlbook.deep.planning import soft_value_iteration as torch_soft_value_iteration
    from irlbook.deep.planning import to_torch

    mdp = random_mdp(2, S=6, A=3, T=5, discount=0.95, power=3, initial="uniform")
    rng = np.random.default_rng(3)
    features = rng.normal(size=(6, 4))
    demo_counts, w = rng.normal(size=4), rng.normal(size=4)
    tmdp = to_torch(mdp, device="cpu")
    w_t = torch.tensor(w, requires_grad=True, dtype=torch.float64)
    v0 = torch_soft_value_iteration(tmdp, torch.as_tensor(features) @ w_t).v[0]
    (tmdp.initial @ v0 - w_t @ torch.as_tensor(demo_counts)).backward()
    _, grad, *_ = maxent_objective(mdp, features, w, demo_counts, True, 0.0)
    np.testing.assert_allclose(grad, w_t.grad.numpy(), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("causal", [True, False])
def test_fit_matches_feature_counts(causal):
    mdp = random_mdp(4, S=8, A=3, T=6, discount=1.0, power=3, initial=0)
    rng = np.random.default_rng(5)
    features = rng.random((8, 3))
    expert = soft_value_iteration(mdp, features @ np.array([1.0, -2.0, 0.5])).policy
    states, actions = sample_trajectories(mdp, expert, 300, seed=6)
    result = maxent_irl(mdp, features, states, actions, causal=causal)
    assert result.converged and result.feature_gap <= 1e-4
    scale = np.abs(result.demo_counts).max()
    if causal:  # the public-API condition: counts from state_visitation of the returned policy
        counts = expected_feature_counts(mdp, result.policy, features)
        assert np.abs(counts - result.demo_counts).max() <= 1e-4 * scale
    assert np.all(np.diff(result.history["objective"]) <= 1e-9)  # L-BFGS with a line search descends


def test_non_causal_equals_causal_when_deterministic():
    mdp = random_mdp(7, S=7, A=3, T=6, deterministic=True, initial=0)
    rng = np.random.default_rng(8)
    features = rng.random((7, 3))
    expert = soft_value_iteration(mdp, features @ np.array([2.0, 0.0, -1.0])).policy
    states, actions = sample_trajectories(mdp, expert, 200, seed=9)
    causal = maxent_irl(mdp, features, states, actions, causal=True, l2=0.1)
    acausal = maxent_irl(mdp, features, states, actions, causal=False, l2=0.1)
    np.testing.assert_allclose(causal.weights, acausal.weights, atol=1e-6)
    np.testing.assert_allclose(causal.policy, acausal.policy, atol=1e-7)
    np.testing.assert_allclose(acausal.visitation, state_visitation(mdp, acausal.policy), atol=1e-12)


def test_gamble_non_causal_is_optimistic():
    mdp, reward = gamble_mdp(p_win=0.1), gamble_reward(5.0, 5.0)
    causal = soft_value_iteration(mdp, reward, causal=True)
    acausal = soft_value_iteration(mdp, reward, causal=False)
    # Q differences: causal E[V] = 0.1*5 - 0.9*5 = -4; non-causal log(0.1 e^5 + 0.9 e^-5)
    np.testing.assert_allclose(causal.q[0, 0, GAMBLE] - causal.q[0, 0, SAFE], -4.0, atol=1e-12)
    np.testing.assert_allclose(acausal.q[0, 0, GAMBLE] - acausal.q[0, 0, SAFE],
                               np.log(0.1 * np.exp(5) + 0.9 * np.exp(-5)), atol=1e-12)
    assert causal.policy[0, 0, GAMBLE] < 0.02 < 0.9 < acausal.policy[0, 0, GAMBLE]
    # The fitted non-causal model's own visitation is tilted towards the lucky state,
    # unlike the policy rolled through the true dynamics.
    fit = maxent_irl(mdp, gamble_features(), np.array([[0, 2]] * 3 + [[0, 1]] * 7),
                     np.zeros((10, 2), dtype=int), causal=False)
    rolled = state_visitation(mdp, fit.policy)
    assert fit.feature_gap <= 1e-4
    assert np.abs(rolled[1] - fit.visitation[1]).max() > 0.05
    np.testing.assert_allclose(fit.visitation[1], [0, 0.7, 0.3, 0.0], atol=1e-4)


def test_label_bias_fractions():
    tree = label_bias_tree()
    assert [r[-1] for r in tree.routes()] == ["A", "B", "C"]
    np.testing.assert_allclose(route_maxent_probabilities(tree), [1 / 3, 1 / 3, 1 / 3], rtol=0, atol=1e-15)
    np.testing.assert_allclose(route_local_probabilities(tree, soft=False), [1 / 2, 1 / 4, 1 / 4], rtol=0, atol=1e-15)
    np.testing.assert_allclose(route_local_probabilities(tree, soft=True), [1 / 3, 1 / 3, 1 / 3], rtol=0, atol=1e-15)


def test_log_likelihood_equals_minus_dual_when_deterministic():
    """Deterministic dynamics, one start state: sum_t log pi(a_t|s_t) = w.f_demo - V_0(s_0) exactly,
    so the MaxEnt fit maximises the demonstrations' likelihood; with stochastic dynamics the two differ
    by a term that is zero only in expectation."""
    mdp = random_mdp(7, S=7, A=3, T=6, deterministic=True, initial=0)
    features = np.random.default_rng(13).random((7, 3))
    expert = soft_value_iteration(mdp, features @ np.array([1.0, -1.0, 2.0])).policy
    states, actions = sample_trajectories(mdp, expert, 200, seed=11)
    fit = maxent_irl(mdp, features, states, actions, l2=0.0)
    assert fit.converged
    best = demo_log_likelihood(mdp, fit.reward, states, actions)
    rng = np.random.default_rng(12)
    for _ in range(5):
        w = fit.weights + 0.3 * rng.normal(size=3)
        objective, *_ = maxent_objective(mdp, features, w, fit.demo_counts)
        loglik = demo_log_likelihood(mdp, features @ w, states, actions)
        np.testing.assert_allclose(loglik, -objective, atol=1e-10)
        assert loglik < best
    stochastic = random_mdp(4, S=8, A=3, T=6, power=3, initial=0)
    f8 = np.random.default_rng(13).random((8, 3))
    s8, a8 = sample_trajectories(stochastic, soft_value_iteration(stochastic, f8[:, 0]).policy, 50, seed=1)
    objective, *_ = maxent_objective(stochastic, f8, np.ones(3), np.zeros(3) + 0)
    demo = (f8[s8].sum(axis=1)).mean(axis=0)
    assert abs(demo_log_likelihood(stochastic, f8 @ np.ones(3), s8, a8) - (np.ones(3) @ demo - objective)) > 1e-3


def test_bad_input():
    mdp = random_mdp(0, S=6, A=3, T=5, power=3, initial=0)
    features = np.ones((6, 2))
    states = np.zeros((3, 5), dtype=int)
    with pytest.raises(ValueError, match="demo_states"):
        maxent_irl(mdp, features, states[:, :4])
    with pytest.raises(ValueError, match="demo_states"):
        maxent_irl(mdp, features, states.astype(float))
    with pytest.raises(ValueError, match="demo_states"):
        maxent_irl(mdp, features, states + 6)
    with pytest.raises(ValueError, match="l2"):
        maxent_irl(mdp, features, states, l2=-1.0)
    with pytest.raises(ValueError, match="features"):
        maxent_irl(mdp, np.full((6, 2), np.nan), states)
    with pytest.raises(ValueError, match="discount"):
        maxent_irl(random_mdp(0, S=6, A=3, T=5, discount=0.9, power=3, initial=0), features, states, causal=False)
    with pytest.raises(ValueError, match="demo_actions"):
        maxent_irl(mdp, np.ones((6, 3, 2)), states)
    with pytest.raises(ValueError, match="p_win"):
        gamble_mdp(p_win=1.0)


def test_extreme_weights_stay_finite():
    mdp = random_mdp(0, S=6, A=3, T=5, discount=0.9, power=3, initial=0)
    weights = np.array([1e6, -1e6, 0, 0, 0, 0.0])
    obj, grad, plan, visitation, expected = maxent_objective(mdp, np.eye(6), weights, np.zeros(6))
    # with indicator features and no demonstrations, the gradient is the discounted visitation
    np.testing.assert_allclose(visitation.sum(axis=1), 1.0, atol=1e-9)
    np.testing.assert_allclose(grad, expected)
    np.testing.assert_allclose(grad, 0.9 ** np.arange(5) @ visitation, rtol=1e-9, atol=1e-12)
    # the objective is E_initial[V_0] (the start is state 0, worth at least its reward of 1e6) ...
    assert obj == pytest.approx(plan.v[0, 0], rel=1e-12) and obj >= 1e6
    # ... and at this scale the soft-optimal policy is the hard-optimal one (before the last, tied, step)
    hard = value_iteration(mdp, np.eye(6) @ weights)
    np.testing.assert_allclose(plan.policy[:-1], hard.policy[:-1], atol=1e-6)


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), scale=st.floats(0.01, 50.0))
def test_soft_plans_coincide_iff_deterministic(seed, scale):
    """Property: non-causal and causal soft VI agree on deterministic dynamics, for any reward; on
    stochastic dynamics the non-causal Q is never below the causal one (log E exp V >= E V)."""
    rng = np.random.default_rng(seed)
    reward = scale * rng.normal(size=(6, 3))
    det = random_mdp(seed, S=6, A=3, T=5, deterministic=True, initial=0)
    a, b = soft_value_iteration(det, reward, causal=True), soft_value_iteration(det, reward, causal=False)
    np.testing.assert_allclose(a.q, b.q, rtol=1e-12, atol=1e-9 * scale)
    sto = random_mdp(seed, S=6, A=3, T=5, power=3, initial=0)
    c, d = soft_value_iteration(sto, reward, causal=True), soft_value_iteration(sto, reward, causal=False)
    assert np.all(d.q >= c.q - 1e-9 * scale) and np.all(np.isfinite(d.q))


# ------------------------------------------------------------------ one interface, bad counts, boundary
def test_demonstrations_and_arrays_give_the_same_fit():
    from irlbook import Demonstrations

    mdp = random_mdp(4, S=8, A=3, T=6, power=3, initial=0)
    features = np.random.default_rng(5).random((8, 3))
    expert = soft_value_iteration(mdp, features @ np.array([1.0, -2.0, 0.5])).policy
    demos = Demonstrations.sample(mdp, expert, 100, seed=6)
    a = maxent_irl(mdp, features, demos)
    b = maxent_irl(mdp, features, demos.states, demos.actions)
    np.testing.assert_array_equal(a.weights, b.weights)
    assert set(a.history) == {"objective", "feature_gap", "weight_norm"}
    assert all(v.ndim == 1 and len(v) == len(a.history["objective"]) for v in a.history.values())
    assert a.on_boundary is False and a.policy.shape == (6, 8, 3)
    c = maxent_irl(mdp, features, demos, max_iter=3)
    assert len(c.history["objective"]) <= 3


@pytest.mark.parametrize("value", [0, -5, 2.5, True])
def test_iteration_count_is_checked(value):
    mdp = random_mdp(0, S=6, A=3, T=5, power=3, initial=0)
    states = np.zeros((3, 5), dtype=int)
    with pytest.raises(ValueError, match="max_iter"):
        maxent_irl(mdp, np.ones((6, 2)), states, max_iter=value)
    with pytest.raises(ValueError, match="n_iterations"):
        maxent_irl(mdp, np.ones((6, 2)), states, n_iterations=value)


def test_unreachable_counts_raise_instead_of_diverging():
    """Demonstrations with a transition the MDP forbids: their counts lie outside the achievable set, no
    reward matches them; the library says so at once (it used to run the weights to 1e36 in 15-30 s)."""
    import time

    S, A, T = 10, 2, 6
    P = np.zeros((S, A, S))
    for s in range(S):
        P[s, 0, s] = 1.0                          # stay
        P[s, 1, min(s + 1, S - 1)] = 1.0          # step right
    mdp = TabularMDP(P, np.eye(S)[0], T)
    states = np.array([[0, 1, 9, 9, 9, 9]] * 4)  # teleports from 1 to 9
    actions = np.ones_like(states)
    start = time.perf_counter()
    with pytest.raises(ValueError, match="not achievable"):
        maxent_irl(mdp, np.eye(S), states, actions)
    assert time.perf_counter() - start < 5
    fit = maxent_irl(mdp, np.eye(S), states, actions, l2=0.1)      # regularised: finite weights
    assert np.abs(fit.weights).max() < 100 and fit.converged


def test_divergence_is_detected_without_the_linear_programme(monkeypatch):
    import irlbook.tabular.maxent as maxent

    monkeypatch.setattr(maxent, "LP_CHECK_LIMIT", 0)
    S, A, T = 10, 2, 6
    P = np.zeros((S, A, S))
    for s in range(S):
        P[s, 0, s] = 1.0
        P[s, 1, min(s + 1, S - 1)] = 1.0
    mdp = TabularMDP(P, np.eye(S)[0], T)
    states = np.array([[0, 1, 9, 9, 9, 9]] * 4)
    with pytest.raises(ValueError, match="diverge"):
        maxent_irl(mdp, np.eye(S), states, np.ones_like(states))


def test_optimal_expert_on_the_boundary_is_reported():
    """A deterministic optimal expert in a deterministic world: its counts are achievable but on the
    boundary, so the weights are set by tol (they grow as tol shrinks); the result says so."""
    from irlbook.envs.gridworld import GridWorld

    world = GridWorld(size=6, macrocells=2, noise=0.0, horizon=10, discount=1.0, seed=0, initial="corner")
    from irlbook import value_iteration

    expert = value_iteration(world.mdp, world.reward).policy
    states, actions = sample_trajectories(world.mdp, expert, 20, seed=0)
    loose = maxent_irl(world.mdp, np.eye(world.mdp.n_states), states, actions, tol=1e-4)
    tight = maxent_irl(world.mdp, np.eye(world.mdp.n_states), states, actions, tol=1e-7)
    assert loose.on_boundary and tight.on_boundary
    assert tight.history["weight_norm"][-1] > loose.history["weight_norm"][-1] + 1
    interior = maxent_irl(world.mdp, world.features, *sample_trajectories(
        world.mdp, soft_value_iteration(world.mdp, world.reward).policy, 200, seed=1))
    assert interior.on_boundary is False and interior.converged


def test_float32_rounded_rows_give_modest_weights():
    """Rows off by ~5e-7 (float32 rounding) used to give max|w| = 3.5e29 with one-hot features; the MDP
    renormalises accepted rows, so the fit equals the one on exactly normalised rows."""
    rng = np.random.default_rng(0)
    S, A, T = 8, 3, 6
    P = rng.random((S, A, S)) ** 3
    P /= P.sum(-1, keepdims=True)
    rounded = P.astype(np.float32).astype(np.float64)
    assert np.abs(rounded.sum(-1) - 1).max() > 1e-8
    exact = TabularMDP(rounded / rounded.sum(-1, keepdims=True), np.full(S, 1 / S), T)
    sloppy = TabularMDP(rounded, np.full(S, 1 / S), T)
    expert = soft_value_iteration(exact, rng.normal(size=S)).policy
    states, actions = sample_trajectories(exact, expert, 500, seed=1)
    a = maxent_irl(sloppy, np.eye(S), states, actions)
    b = maxent_irl(exact, np.eye(S), states, actions)
    assert a.converged and np.abs(a.weights).max() < 50
    np.testing.assert_allclose(a.weights, b.weights, atol=1e-6)


def test_noncausal_log_likelihood_uses_the_reward_of_each_step():
    """A time-varying reward [T, S, A] with causal=False: r_t at step t (it used r_{T-1} at every step);
    on deterministic dynamics the non-causal likelihood equals the causal one."""
    mdp = random_mdp(7, S=7, A=3, T=6, deterministic=True, initial=0)
    reward = np.random.default_rng(3).normal(size=(6, 7, 3))
    states, actions = sample_trajectories(mdp, soft_value_iteration(mdp, reward).policy, 50, seed=4)
    causal = demo_log_likelihood(mdp, reward, states, actions, causal=True)
    acausal = demo_log_likelihood(mdp, reward, states, actions, causal=False)
    np.testing.assert_allclose(acausal, causal, rtol=1e-12)
