"""irlbook.core.duality: the primal problems of chapter 5, checked against closed forms and the dual."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.special import softmax

import irlbook
from irlbook.core.duality import (
    policy_trajectory_probabilities,
    solve_max_causal_entropy,
    solve_max_entropy,
    trajectory_table,
)
from tests.helpers import random_mdp


def deterministic_mdp(T=3):
    successor = np.array([[1, 2], [2, 0], [0, 1]])
    P = np.zeros((3, 2, 3))
    P[np.arange(3)[:, None], np.arange(2)[None, :], successor] = 1.0
    return irlbook.TabularMDP(P, initial=[1.0, 0.0, 0.0], horizon=T)


FEATURES = np.array([[1.0, 0.0], [0.0, 1.0], [0.5, 0.5]])       # [S, F]


def test_trajectory_table_lists_every_trajectory_with_its_counts():
    mdp = random_mdp(seed=3, S=3, A=2, T=3)
    table = trajectory_table(mdp, FEATURES)
    assert table.states.shape == table.actions.shape == (len(table.log_base), 3)
    # the base measure with a uniform policy is a distribution over the listed trajectories
    uniform = np.full((3, 3, 2), 0.5)
    p = policy_trajectory_probabilities(table, uniform)
    assert p.sum() == pytest.approx(1.0, abs=1e-12)
    # E_p[f(tau)] equals the forward-pass expected feature counts
    expected = irlbook.expected_feature_counts(mdp, uniform, FEATURES)
    np.testing.assert_allclose(p @ table.features, expected, atol=1e-12)


def test_max_entropy_without_constraints_binding_is_uniform():
    """The target at the uniform distribution's mean: the optimum is uniform, the logits constant."""
    table = trajectory_table(deterministic_mdp(), FEATURES)
    n = len(table.log_base)
    target = table.features.mean(axis=0)
    sol = solve_max_entropy(table, target)
    np.testing.assert_allclose(sol.probabilities, np.full(n, 1 / n), atol=1e-6)
    assert sol.value == pytest.approx(np.log(n), abs=1e-8)
    # f1 + f2 is the same on every trajectory, so w is identified only up to (1, 1): the
    # logits w . f(tau), not w itself, must be constant
    logits = table.features @ sol.weights
    np.testing.assert_allclose(logits - logits.mean(), 0.0, atol=1e-6)


@pytest.mark.parametrize("seed", [0, 1])
def test_max_entropy_matches_the_exponential_family_and_the_dual(seed):
    """Primal optimum = p_w(tau) ~ exp(w . f(tau)) with w the maximum-likelihood weights."""
    mdp = deterministic_mdp(T=4)
    table = trajectory_table(mdp, FEATURES)
    w_true = np.random.default_rng(seed).normal(size=2)
    logits = table.features @ w_true
    p_true = softmax(logits)
    target = p_true @ table.features
    sol = solve_max_entropy(table, target)
    np.testing.assert_allclose(sol.probabilities, p_true, atol=1e-6)
    np.testing.assert_allclose(table.features.T @ sol.probabilities, target, atol=1e-9)
    # weights are identified up to directions where every f(tau) is constant: compare logits
    weight_logits = table.features @ sol.weights
    np.testing.assert_allclose(weight_logits - weight_logits.mean(), logits - logits.mean(), atol=1e-5)
    # the value is the entropy of p_w
    assert sol.value == pytest.approx(-(p_true * np.log(p_true)).sum(), abs=1e-8)


def test_l2_penalty_multipliers_satisfy_their_stationarity_condition():
    table = trajectory_table(deterministic_mdp(), FEATURES)
    target = table.features[0] * 0.7 + table.features.mean(axis=0) * 0.3
    l2 = 0.1
    sol = solve_max_entropy(table, target, l2=l2)
    logits = table.features @ sol.weights
    p = softmax(logits)
    np.testing.assert_allclose(sol.probabilities, p, atol=1e-6)
    np.testing.assert_allclose(sol.weights, -(p @ table.features - target) / l2, atol=1e-6)


def test_causal_primal_optimum_is_the_soft_optimal_policy_of_its_multipliers():
    mdp = random_mdp(seed=5, S=3, A=2, T=3)
    features = np.random.default_rng(5).normal(size=(3, 2, 2))
    w_true = np.array([0.8, -0.4])
    policy = irlbook.soft_value_iteration(mdp, features @ w_true).policy
    target = irlbook.expected_feature_counts(mdp, policy, features)
    sol = solve_max_causal_entropy(mdp, features, target)
    # the occupancies match the target and the policy is soft-optimal for the returned weights
    reached = irlbook.expected_feature_counts(mdp, sol.policy, features)
    np.testing.assert_allclose(reached, target, atol=1e-7)
    np.testing.assert_allclose(sol.policy, policy, atol=1e-5)
    recovered = irlbook.soft_value_iteration(mdp, features @ sol.weights).policy
    np.testing.assert_allclose(recovered, policy, atol=1e-5)


def test_target_outside_the_hull_is_a_clear_error():
    table = trajectory_table(deterministic_mdp(), FEATURES)
    far = table.features.max(axis=0) + 10.0
    with pytest.raises(ValueError, match="hull"):
        solve_max_entropy(table, far)


@pytest.mark.parametrize("bad", [np.array([1.0]), np.array([np.nan, 0.0]), np.ones((2, 2))])
def test_malformed_target_names_the_argument(bad):
    table = trajectory_table(deterministic_mdp(), FEATURES)
    with pytest.raises(ValueError, match="target"):
        solve_max_entropy(table, bad)
    with pytest.raises(ValueError, match="target"):
        solve_max_causal_entropy(deterministic_mdp(), FEATURES, bad)


def test_nonpositive_l2_is_rejected():
    table = trajectory_table(deterministic_mdp(), FEATURES)
    with pytest.raises(ValueError, match="l2"):
        solve_max_entropy(table, table.features.mean(axis=0), l2=0.0)


def test_soft_values_are_log_z_only_without_discount():
    """log Z(w) = V_0(s_0) for gamma = 1; for gamma < 1 they differ, and maxent_irl's optimum is the
    discounted *causal* primal, not the trajectory-entropy primal (chapter 5)."""
    from scipy.special import logsumexp
    w = np.array([0.7, -0.4])
    for gamma, equal in ((1.0, True), (0.9, False)):
        mdp = deterministic_mdp(T=4)
        mdp = irlbook.TabularMDP(mdp.transitions, mdp.initial, 4, discount=gamma)
        table = trajectory_table(mdp, FEATURES)
        log_z = logsumexp(table.features @ w)
        v0 = irlbook.soft_value_iteration(mdp, FEATURES @ w).v[0, 0]
        assert (abs(log_z - v0) < 1e-10) == equal
    policy = np.random.default_rng(0).dirichlet(np.ones(2), size=(4, 3))
    states, actions = irlbook.sample_trajectories(mdp, policy, 200, seed=1)
    fit = irlbook.maxent_irl(mdp, FEATURES, states, actions, tol=1e-10)
    causal = solve_max_causal_entropy(mdp, FEATURES, fit.demo_counts)
    trajectory = solve_max_entropy(table, fit.demo_counts)
    assert causal.value == pytest.approx(fit.history["objective"][-1], abs=1e-6)
    assert abs(trajectory.value - fit.history["objective"][-1]) > 1e-2


def test_stochastic_samples_outside_the_achievable_counts_need_l2():
    """With stochastic dynamics a finite sample's counts can lie outside M_c: maxent_irl refuses them with
    l2 = 0, and with l2 > 0 its fit satisfies the causal L2 duality mu(pi_w) - f_demo = -l2 w."""
    from irlbook.tabular.maxent import feature_count_geometry
    rng = np.random.default_rng(0)
    P = rng.random((3, 2, 3))
    P /= P.sum(axis=-1, keepdims=True)
    mdp = irlbook.TabularMDP(P, initial=[0.6, 0.4, 0.0], horizon=4)
    features = np.zeros((3, 2, 3))
    features[1, :, 0] = features[2, :, 1] = features[:, 1, 2] = 1.0
    policy = rng.dirichlet(np.ones(2), size=(4, 3))
    outside = None
    for seed in range(40):
        states, actions = irlbook.sample_trajectories(mdp, policy, 30, seed=seed)
        counts = irlbook.empirical_feature_counts(features, states, actions)
        if feature_count_geometry(mdp, features, counts)[0] > 1e-6:
            outside = (states, actions)
            break
    assert outside is not None, "no sample of 30 demonstrations left the achievable set"
    with pytest.raises(ValueError, match="not achievable"):
        irlbook.maxent_irl(mdp, features, *outside)
    fit = irlbook.maxent_irl(mdp, features, *outside, l2=0.05, tol=1e-10)
    np.testing.assert_allclose(fit.expected_counts - fit.demo_counts, -0.05 * fit.weights, atol=1e-7)


def test_l1_box_primal_is_the_exponential_family_with_the_sign_condition():
    """max H(p) s.t. |E_p f - target|_inf <= beta: p = p_w and E_p f_k - target_k = -beta sign(w_k) where w_k != 0."""
    table = trajectory_table(deterministic_mdp(T=4), FEATURES)
    target = 0.6 * table.features[0] + 0.4 * table.features.mean(axis=0)
    beta = 0.1
    sol = solve_max_entropy(table, target, l1=beta)
    np.testing.assert_allclose(sol.probabilities, softmax(table.features @ sol.weights), atol=1e-6)
    residual = sol.probabilities @ table.features - target
    assert np.abs(residual).max() <= beta + 1e-8
    support = np.abs(sol.weights) > 1e-6
    assert support.any()
    np.testing.assert_allclose(residual[support], -beta * np.sign(sol.weights[support]), atol=1e-7)
    # the dual value g(w) + beta |w|_1 at the returned weights equals the primal value
    from scipy.special import logsumexp
    dual = logsumexp(table.features @ sol.weights) - sol.weights @ target + beta * np.abs(sol.weights).sum()
    assert dual == pytest.approx(sol.value, abs=1e-7)


def test_causal_box_is_infeasible_below_the_distance_to_the_achievable_counts():
    from irlbook.tabular.maxent import feature_count_geometry
    mdp = random_mdp(seed=5, S=3, A=2, T=3)
    features = np.random.default_rng(5).normal(size=(3, 2, 2))
    policy = irlbook.soft_value_iteration(mdp, features @ np.array([0.8, -0.4])).policy
    far = irlbook.expected_feature_counts(mdp, policy, features) + np.array([50.0, 0.0])
    distance = feature_count_geometry(mdp, features, far)[0]
    assert distance > 1.0
    with pytest.raises(ValueError, match="achievable"):
        solve_max_causal_entropy(mdp, features, far, l1=0.5 * distance)
    sol = solve_max_causal_entropy(mdp, features, far, l1=1.5 * distance)
    recovered = irlbook.soft_value_iteration(mdp, features @ sol.weights).policy
    visits = irlbook.state_visitation(mdp, sol.policy)
    assert np.max(visits[:, :, None] * np.abs(recovered - sol.policy)) < 1e-5


def test_maxent_model_equalises_the_log_loss_of_every_matching_distribution():
    """Minimax log loss (chapter 5): E_p'[-log p*] = H(p*) for every feature-matching p'; other models lose more."""
    from irlbook.core.duality import feature_matching_extremes, worst_case_log_loss
    table = trajectory_table(deterministic_mdp(T=4), FEATURES)
    w = np.array([0.7, -0.3])
    p_star = softmax(table.features @ w)
    target = p_star @ table.features
    entropy = -(p_star * np.log(p_star)).sum()
    extremes = feature_matching_extremes(table, target, 8, seed=1)
    np.testing.assert_allclose(extremes @ table.features, np.tile(target, (8, 1)), atol=1e-6)
    assert len({tuple(np.round(e, 4)) for e in extremes}) > 1                # several different adversaries
    np.testing.assert_allclose(-extremes @ np.log(p_star), entropy, atol=1e-6)
    assert worst_case_log_loss(table, target, np.log(p_star))[0] == pytest.approx(entropy, abs=1e-6)
    other = softmax(table.features @ (w + np.array([0.5, -0.5])))          # a direction in L
    assert worst_case_log_loss(table, target, np.log(other))[0] > entropy + 1e-3


def test_causal_minimax_log_loss_by_occupancies():
    from irlbook.core.duality import causal_feature_matching_extremes, worst_case_causal_log_loss
    mdp = random_mdp(seed=5, S=3, A=2, T=3)
    features = np.random.default_rng(5).normal(size=(3, 2, 2))
    policy = irlbook.soft_value_iteration(mdp, features @ np.array([0.8, -0.4])).policy
    target = irlbook.expected_feature_counts(mdp, policy, features)
    h_c = solve_max_causal_entropy(mdp, features, target).value
    occupancies = causal_feature_matching_extremes(mdp, features, target, 5, seed=0)
    losses = -(occupancies * np.log(policy)[None]).sum(axis=(1, 2, 3))
    np.testing.assert_allclose(losses, h_c, atol=1e-6)
    other = irlbook.soft_value_iteration(mdp, features @ np.array([0.3, 0.2])).policy
    assert worst_case_causal_log_loss(mdp, features, target, other)[0] > h_c + 1e-3


def test_relaxation_and_model_arguments_are_validated():
    from irlbook.core.duality import worst_case_causal_log_loss
    table = trajectory_table(deterministic_mdp(), FEATURES)
    target = table.features.mean(axis=0)
    with pytest.raises(ValueError, match="l1"):
        solve_max_entropy(table, target, l1=-0.1)
    with pytest.raises(ValueError, match="l2 and l1"):
        solve_max_entropy(table, target, l2=0.1, l1=0.1)
    zero = np.zeros((3, 3, 2))
    zero[..., 0] = 1.0
    with pytest.raises(ValueError, match="policy"):
        worst_case_causal_log_loss(deterministic_mdp(), FEATURES, target, zero)
