"""Feature matching, max margin and MMP (chapter 3) on MDPs whose answers are known by hand."""

import numpy as np
import pytest

from irlbook import Demonstrations, TabularMDP, sample_trajectories, value_iteration
from irlbook.book.experts import EXPERT_KINDS, expert_demos, expert_policy
from irlbook.envs import GridWorld
from irlbook.tabular import feature_matching as fm


def bandit():
    """One state, two actions, horizon 1; f(s, a0) = (1, 0), f(s, a1) = (0, 1)."""
    mdp = TabularMDP(np.ones((1, 2, 1)), np.ones(1), horizon=1, discount=1.0)
    features = np.eye(2)[None, :, :]  # [S=1, A=2, F=2]
    return mdp, features


def check_kkt(mu_expert, mu_policies, solution, tol=1e-5):
    """KKT conditions of max t s.t. psi.(mu_E - mu_j) >= t, |psi| <= 1 (with t > 0)."""
    d = mu_expert[None, :] - mu_policies
    lam, psi, t = solution.multipliers, solution.weights, solution.margin
    assert np.all(d @ psi >= t - tol)                           # primal feasibility
    assert np.linalg.norm(psi) <= 1 + tol
    assert np.all(lam >= 0) and abs(lam.sum() - 1) < tol        # dual feasibility, d/dt: sum lambda = 1
    np.testing.assert_allclose(lam * (d @ psi - t), 0, atol=tol)  # complementary slackness
    direction = lam @ d                                         # d/dpsi: psi parallel to sum lambda_j d_j
    np.testing.assert_allclose(psi, direction / np.linalg.norm(direction), atol=tol)
    assert abs(t - np.linalg.norm(direction)) < tol             # t = distance to the hull


def test_max_margin_qp_by_hand():
    mu_e = np.array([1.0, 1.0])
    mus = np.array([[0.0, 1.0], [1.0, 0.0]])
    sol = fm.max_margin_qp(mu_e, mus)
    np.testing.assert_allclose(sol.weights, np.array([1, 1]) / np.sqrt(2), atol=1e-6)
    assert abs(sol.margin - np.sqrt(0.5)) < 1e-6
    np.testing.assert_allclose(sol.multipliers, [0.5, 0.5], atol=1e-6)
    check_kkt(mu_e, mus, sol)
    # the SVM form gives psi / t with margin 1
    svm = fm.svm_max_margin(mu_e, mus)
    np.testing.assert_allclose(svm.weights, sol.weights / sol.margin, atol=1e-5)
    lam, distance = fm.closest_mixture(mu_e, mus)
    np.testing.assert_allclose(lam, [0.5, 0.5], atol=1e-6)
    assert abs(distance - sol.margin) < 1e-6


def test_max_margin_qp_kkt_random():
    rng = np.random.default_rng(0)
    for _ in range(5):
        mus = rng.normal(size=(6, 4))
        mu_e = rng.normal(size=4) + 5.0  # far outside the hull: t > 0
        sol = fm.max_margin_qp(mu_e, mus)
        assert sol.margin > 0
        check_kkt(mu_e, mus, sol, tol=1e-4)
        _, distance = fm.closest_mixture(mu_e, mus)
        assert abs(distance - sol.margin) < 1e-5


def test_inside_hull_degenerates():
    mu_e = np.array([0.7, 0.3])
    mus = np.array([[0.5, 0.5], [1.0, 0.0]])
    sol = fm.max_margin_qp(mu_e, mus)
    assert abs(sol.margin) < 1e-6 and np.linalg.norm(sol.weights) < 1e-4   # psi -> 0
    with pytest.raises(ValueError, match="infeasible"):
        fm.svm_max_margin(mu_e, mus)
    slack = fm.svm_max_margin(mu_e, mus, slack_penalty=1.0)
    assert np.all(slack.slacks >= 0) and slack.slacks.max() > 0.5


def test_bandit_both_algorithms_one_step():
    mdp, features = bandit()
    expert = np.array([[[1.0, 0.0]]])
    mu_e = fm.feature_expectations(mdp, features, expert)
    np.testing.assert_allclose(mu_e, [1, 0])
    for algorithm in (fm.projection_irl, fm.max_margin_irl):
        result = algorithm(mdp, features, expert_policy=expert, epsilon=1e-6)
        assert result.converged and result.iterations == 1
        first = result.weight_history[0]
        np.testing.assert_allclose(first / np.linalg.norm(first), np.array([1, -1]) / np.sqrt(2), atol=1e-6)
        assert abs(result.history["margin"][0] - np.sqrt(0.5)) < 1e-6  # |mu_E - mu_0| with mu_0 = (.5, .5)
        np.testing.assert_allclose(result.mixture_mu(), mu_e, atol=1e-5)


def test_bandit_stochastic_expert_degenerates():
    mdp, features = bandit()
    expert = np.array([[[0.7, 0.3]]])
    mu_e = fm.feature_expectations(mdp, features, expert)
    result = fm.max_margin_irl(mdp, features, expert_policy=expert, epsilon=1e-6)
    assert result.converged and np.linalg.norm(result.weights) < 1e-4
    np.testing.assert_allclose(result.mixture_mu(), mu_e, atol=1e-5)
    with pytest.raises(ValueError, match="infeasible"):
        fm.svm_max_margin(mu_e, result.mu)
    projected = fm.projection_irl(mdp, features, expert_policy=expert, epsilon=1e-6)
    np.testing.assert_allclose(projected.mixture_mu(), mu_e, atol=1e-5)
    np.testing.assert_allclose(projected.mixture, [0.6, 0.4], atol=1e-6)  # 0.6 (.5,.5) + 0.4 (1,0)


def test_mmp_bandit_margin_equals_loss():
    """min (l/2)|psi|^2 + max(psi_0, psi_1 + 1) - psi_0: psi* = (1/2, -1/2), margin exactly the loss 1."""
    mdp, features = bandit()
    demos = Demonstrations.tabular(np.zeros((1, 1), dtype=int), np.zeros((1, 1), dtype=int))
    loss = fm.hamming_loss(mdp, demos)
    np.testing.assert_allclose(loss, [[0.0, 1.0]])
    l2 = 0.1
    result = fm.mmp(mdp, features, demos, l2=l2, step_size=0.5, n_iterations=3000)
    assert set(result.history) == {"objective", "slack", "loss"} and result.mu_history.shape == (3000, 2)
    optimum = l2 / 4
    assert result.history["objective"].min() <= optimum + 5e-3
    np.testing.assert_allclose(result.weights, [0.5, -0.5], atol=0.1)
    assert result.policy[0, 0, 0] == 1.0


def test_feature_expectations_demos_agree_with_exact():
    world = GridWorld(size=6, macrocells=2, horizon=10, seed=1)
    policy = value_iteration(world.mdp, world.reward).policy
    exact = fm.feature_expectations(world.mdp, world.features, policy)
    states, actions = sample_trajectories(world.mdp, policy, 4000, seed=0)
    demos = Demonstrations.tabular(states, actions)
    empirical = fm.feature_expectations(world.mdp, world.features, demos=demos)
    np.testing.assert_allclose(empirical, exact, atol=0.1)
    assert fm.policy_loss(world.mdp, policy, fm.hamming_loss(world.mdp, demos)) < 0.5 * exact.sum()
    fit = fm.projection_irl(world.mdp, world.features, demos, epsilon=0.05)
    np.testing.assert_allclose(fit.mu_expert, empirical)
    assert fit.policy.shape == (10, 36, 4) and all(v.ndim == 1 for v in fit.history.values())


def test_gridworld_converges_and_matches_value():
    world = GridWorld(size=8, macrocells=2, horizon=30, discount=0.95, n_rewarding=2, seed=3)
    expert = value_iteration(world.mdp, world.reward).policy
    mu_e = fm.feature_expectations(world.mdp, world.features, expert)
    value_e = world.true_weights @ mu_e
    for algorithm in (fm.projection_irl, fm.max_margin_irl):
        result = algorithm(world.mdp, world.features, expert_policy=expert, epsilon=0.01, n_iterations=50)
        assert result.converged
        assert result.history["distance"][-1] <= 0.01
        assert world.true_weights @ result.mixture_mu() >= 0.95 * value_e
        assert np.all(np.diff(result.history["distance"]) <= 1e-9) or algorithm is fm.max_margin_irl


def test_expert_kinds():
    world = GridWorld(size=8, macrocells=2, horizon=20, n_rewarding=2, seed=0)
    optimal = expert_demos(world, "optimal", 4, seed=0)
    for kind in EXPERT_KINDS:
        data = expert_demos(world, kind, 5, seed=0)
        assert data.states.shape == (5, 20) and data.mu.shape == (4,)
        assert data.value <= optimal.value + 1e-9
    assert expert_demos(world, "epsilon_greedy", 3).value < optimal.value
    with pytest.raises(ValueError, match="kind"):
        expert_policy(world, "lazy")
    with pytest.raises(ValueError, match="n_demos"):
        expert_demos(world, "optimal", 0)


def test_bad_input():
    mdp, features = bandit()
    mu_e = np.array([1.0, 0.0])
    expert = np.array([[[1.0, 0.0]]])
    demos = Demonstrations.tabular(np.zeros((1, 1), dtype=int), np.zeros((1, 1), dtype=int))
    with pytest.raises(ValueError, match="features"):
        fm.projection_irl(mdp, np.ones((3, 2)), demos)
    with pytest.raises(ValueError, match="exactly one"):
        fm.max_margin_irl(mdp, features)
    with pytest.raises(ValueError, match="demos"):
        fm.max_margin_irl(mdp, features, mu_e)              # vectors are not demonstrations
    with pytest.raises(ValueError, match="epsilon"):
        fm.projection_irl(mdp, features, demos, epsilon=0)
    for bad in (0, -5, 2.5, True):
        with pytest.raises(ValueError, match="n_iterations"):
            fm.max_margin_irl(mdp, features, demos, n_iterations=bad)
    with pytest.raises(ValueError, match="demos.states"):
        fm.feature_expectations(mdp, features, demos=Demonstrations.tabular(np.zeros((1, 2), dtype=int)))
    with pytest.raises(ValueError, match="exactly one"):
        fm.feature_expectations(mdp, features)
    with pytest.raises(ValueError, match="states"):
        Demonstrations.tabular(np.zeros((0, 1), dtype=int))
    with pytest.raises(ValueError, match="demos.actions"):
        fm.mmp(mdp, features, Demonstrations.tabular(np.zeros((1, 1), dtype=int)))
    with pytest.raises(ValueError, match="loss"):
        fm.mmp(mdp, features, demos, loss=np.zeros(3))
    with pytest.raises(ValueError, match="l2"):
        fm.mmp(mdp, features, demos, l2=0)
    with pytest.raises(ValueError, match="loss"):
        fm.policy_loss(mdp, expert, np.full((1, 2), np.nan))   # NaN in a loss is refused
    with pytest.raises(ValueError, match="mu_policies"):
        fm.max_margin_qp(mu_e, np.ones((2, 3)))
    with pytest.raises(ValueError, match="slack_penalty"):
        fm.svm_max_margin(mu_e, np.zeros((1, 2)), slack_penalty=-1)
    with pytest.raises(ValueError, match="NaN"):
        fm.max_margin_qp(np.array([np.nan, 0.0]), np.zeros((1, 2)))
    assert fm.policy_of(mdp, features, np.array([1.0, 0.0]))[0, 0, 0] == 1.0
