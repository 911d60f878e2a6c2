"""Guided cost learning (chapter 6): its gradient against the exact MaxEnt gradient on a tabular
problem, the mixture density, the lower bound of the loss, and a short run on the point mass."""

import numpy as np
import pytest
import torch
from scipy.special import softmax

from irlbook import sample_trajectories, soft_value_iteration
from irlbook.core.demonstrations import Demonstrations
from irlbook.core.duality import trajectory_table
from irlbook.core.result import IRLResult
from irlbook.deep.gcl import (
    BackgroundSet,
    GCLConfig,
    GCLResult,
    gcl,
    gcl_loss,
    local_constancy_penalty,
    monotonic_penalty,
    start_groups,
)
from irlbook.deep.sac import SAC
from irlbook.envs import PointMassEnv
from irlbook.tabular.importance import (
    importance_log_weights,
    partition_gradient,
    self_normalized_weights,
    trajectory_features,
    trajectory_log_policy,
)
from tests.helpers import random_mdp

torch.set_num_threads(1)


def tabular_problem(seed=0, S=4, A=2, T=4, K=3):
    rng = np.random.default_rng(seed)
    mdp = random_mdp(rng, S=S, A=A, T=T, power=2, initial="uniform")
    features = rng.normal(size=(S, A, K))
    psi = rng.normal(size=K)
    return mdp, features, psi


def torch_gcl_gradient(psi, demo_f, back_f, back_log_q, demo_groups=None, back_groups=None):
    """Gradient of the GCL loss for the linear reward R(tau) = psi . f(tau), by autograd."""
    psi_t = torch.tensor(psi, dtype=torch.float64, requires_grad=True)
    loss, log_w = gcl_loss(torch.as_tensor(demo_f) @ psi_t, torch.as_tensor(back_f) @ psi_t,
                           torch.as_tensor(back_log_q), demo_groups, back_groups)
    loss.backward()
    return psi_t.grad.numpy(), loss.item(), log_w.numpy()


def test_gcl_gradient_equals_exact_maxent_gradient_by_quadrature():
    """Background = every trajectory once with proposal 1/q(tau): the GCL gradient is exactly
    minus the MaxEnt log-likelihood gradient, expert counts minus E_{p_psi}[f(tau)]."""
    mdp, features, psi = tabular_problem(1)
    table = trajectory_table(mdp, features)
    expected = softmax(table.log_base + table.features @ psi) @ table.features
    demo_states, demo_actions = sample_trajectories(mdp, np.full((4, 2), 0.5), 30, seed=2)
    demo_f = trajectory_features(mdp, features, demo_states, demo_actions)
    grad, _, _ = torch_gcl_gradient(psi, demo_f, table.features, -table.log_base)
    exact = -(demo_f.mean(0) - expected)
    np.testing.assert_allclose(grad, exact, rtol=1e-10, atol=1e-12)


def test_gcl_gradient_with_policy_samples_is_the_self_normalised_estimate():
    """With samples of a policy and log q~ = log pi(tau), autograd of the loss is exactly expert
    counts minus the self-normalised estimate, and that is within 4 standard errors of the exact gradient."""
    mdp, features, psi = tabular_problem(3)
    table = trajectory_table(mdp, features)
    expected = softmax(table.log_base + table.features @ psi) @ table.features
    demo_states, demo_actions = sample_trajectories(mdp, np.full((4, 2), 0.5), 30, seed=4)
    demo_f = trajectory_features(mdp, features, demo_states, demo_actions)
    sampler = soft_value_iteration(mdp, features @ (0.5 * psi)).policy
    states, actions = sample_trajectories(mdp, sampler, 20_000, seed=5)
    back_f = trajectory_features(mdp, features, states, actions)
    log_pi = trajectory_log_policy(mdp, sampler, states, actions)
    grad, _, log_w = torch_gcl_gradient(psi, demo_f, back_f, log_pi)
    log_w_np = importance_log_weights(back_f @ psi, log_pi)
    np.testing.assert_allclose(log_w, log_w_np, rtol=1e-12)
    estimate = partition_gradient(log_w_np, back_f)
    np.testing.assert_allclose(grad, -(demo_f.mean(0) - estimate), rtol=1e-10, atol=1e-12)
    se = np.sqrt(self_normalized_weights(log_w_np) ** 2 @ (back_f - estimate) ** 2)
    assert np.all(np.abs(estimate - expected) < 4 * se), (estimate, expected, se)


def test_conditional_loss_per_start_state_matches_exact_conditional_gradient():
    """condition_on_start: per-start-state partition functions; quadrature over every
    trajectory gives the exact gradient of the conditional model p(tau | s_0)."""
    mdp, features, psi = tabular_problem(6)
    table = trajectory_table(mdp, features)
    demo_states, demo_actions = sample_trajectories(mdp, np.full((4, 2), 0.5), 40, seed=7)
    demo_f = trajectory_features(mdp, features, demo_states, demo_actions)
    groups = table.states[:, 0]
    # exact: E_{p(tau|s0)}[f] for each start state, averaged over the demos' start states
    expected = np.zeros(3)
    for s0 in demo_states[:, 0]:
        m = groups == s0
        expected += softmax(table.log_base[m] + table.features[m] @ psi) @ table.features[m] / len(demo_states)
    grad, _, _ = torch_gcl_gradient(psi, demo_f, table.features, -table.log_base, demo_states[:, 0], groups)
    np.testing.assert_allclose(grad, -(demo_f.mean(0) - expected), rtol=1e-10, atol=1e-12)


def test_demos_in_background_bound_the_loss():
    """Theorem: with the demonstrations in the background the loss is at least
    log(N/M) - mean log q~(demo), whatever the reward; without them it is unbounded below."""
    rng = np.random.default_rng(8)
    N, n_s = 10, 40
    log_q = torch.as_tensor(rng.normal(size=N + n_s) * 3)
    bound = np.log(N / (N + n_s)) - log_q[:N].mean().item()
    for scale in (0.0, 1.0, 10.0, 1000.0):
        returns = torch.as_tensor(rng.normal(size=N + n_s) * scale)
        returns[:N] += scale                                       # push the demos' reward up
        loss, _ = gcl_loss(returns[:N], returns, log_q)          # demos are the first N background entries
        assert loss.item() >= bound - 1e-9
    # without the demos: raise the reward on the demos only, and the loss falls without limit
    sample_returns = torch.zeros(n_s, dtype=torch.float64)
    for c in (10.0, 1000.0):
        loss_without, _ = gcl_loss(torch.full((N,), c, dtype=torch.float64), sample_returns, log_q[N:])
        assert loss_without.item() < bound - c + 50


def test_background_set_mixture_density():
    env = PointMassEnv(horizon=5)
    agent = SAC(env.observation_space, env.action_space, seed=0, device="cpu")
    background = BackgroundSet(agent)
    background.add_policy(agent.actor)
    first = agent.rollout(env, 3, seed=0, store=False)
    background.add_trajectories(first["states"], first["actions"])
    with torch.no_grad():                     # change the policy, then add it as a second component
        for p in agent.actor.parameters():
            p.add_(0.3)
    background.add_policy(agent.actor)
    second = agent.rollout(env, 2, seed=10, store=False)
    background.add_trajectories(second["states"], second["actions"])
    assert background.log_densities.shape == (2, 5)
    states, actions = background.all_states(), background.all_actions()
    direct = np.stack([agent.log_prob(states[:, :-1].reshape(-1, 2), actions.reshape(-1, 2), actor=a)
                       .detach().reshape(5, 5).sum(1).double().numpy() for a in background.actors])
    np.testing.assert_allclose(background.log_densities, direct, rtol=1e-6)
    np.testing.assert_allclose(background.log_proposal(), np.log(np.exp(direct).mean(0)), rtol=1e-6)


def test_penalties_and_groups():
    r = torch.tensor([[0.0, 1.0, 2.0, 3.0], [0.0, 1.0, 0.0, 1.0]])
    assert local_constancy_penalty(r[:1]).item() == 0.0          # linear in time: constant slope
    assert local_constancy_penalty(r[1:]).item() == pytest.approx(8.0)
    assert monotonic_penalty(r[:1]).item() == 0.0 and monotonic_penalty(r[1:]).item() == 0.0   # falls of 1 are free
    assert monotonic_penalty(r[1:], margin=0.0).item() == pytest.approx(1.0)
    ids, ref = start_groups(np.array([[0.1, 0.2], [0.3, 0.4], [0.1, 0.2]]))
    assert len(ref) == 2 and ids[0] == ids[2] != ids[1]


def test_monotonic_penalty_is_finn_et_al_squared_hinge_on_the_cost():
    """g_mono = sum_t max(0, c_t - c_{t-1} - margin)^2 with c = -r, averaged over trajectories; by hand."""
    r = torch.tensor([[0.0, -3.0, -2.5, -4.0],         # cost 0, 3, 2.5, 4: rises 3 and 1.5, one fall
                      [1.0, 2.0, 3.0, 4.0]])           # cost falls by 1 every step
    # margin 1 (the paper's equation): (3-1)^2 + 0 + (1.5-1)^2 = 4.25 for the first, 0 for the second
    assert monotonic_penalty(r).item() == pytest.approx(4.25 / 2)
    # margin 0: every rise counts, 9 + 2.25
    assert monotonic_penalty(r, margin=0.0).item() == pytest.approx(11.25 / 2)
    # margin -1 (the authors' code): the cost must fall by >= 1: first (4^2 + 0.5^2 + 2.5^2) = 22.5, second 0
    assert monotonic_penalty(r, margin=-1.0).item() == pytest.approx(22.5 / 2)
    with pytest.raises(ValueError, match="margin"):
        monotonic_penalty(r, margin=float("nan"))
    with pytest.raises(ValueError, match="monotonic_margin"):
        GCLConfig(monotonic_margin=float("inf"))


def test_bad_input_raises():
    with pytest.raises(ValueError, match="observations"):
        Demonstrations.continuous(np.zeros((0, 5, 2)), np.zeros((0, 4, 2)))
    with pytest.raises(ValueError, match="actions"):
        Demonstrations.continuous(np.zeros((3, 5, 2)), np.zeros((3, 5, 2)))
    with pytest.raises(ValueError, match="observations"):
        Demonstrations.continuous(np.full((3, 5, 2), np.nan), np.zeros((3, 4, 2)))
    with pytest.raises(ValueError, match="same shape"):
        gcl_loss(torch.zeros(2), torch.zeros(3), torch.zeros(4))
    with pytest.raises(ValueError, match="n_iterations"):
        GCLConfig(n_iterations=0)
    for name in ("local_constancy", "l2", "monotonic"):
        with pytest.raises(ValueError, match=name):
            GCLConfig(**{name: -0.5})
    with pytest.raises(ValueError, match="hidden"):
        GCLConfig(hidden=(0,))
    with pytest.raises(ValueError, match="seed"):
        GCLConfig(seed=-1)
    with pytest.raises(ValueError, match="device"):
        GCLConfig(device="nonsense")
    env = PointMassEnv(horizon=4)
    with pytest.raises(TypeError, match="demos"):
        gcl(env, np.zeros((2, 5, 2)))
    with pytest.raises(ValueError, match="observations"):
        gcl(env, Demonstrations.continuous(np.zeros((2, 5, 3)), np.zeros((2, 4, 2))))


def short_gcl_problem():
    env = PointMassEnv(horizon=6, step_size=0.15)
    rng = np.random.default_rng(0)
    demos = Demonstrations.continuous(rng.uniform(-1, 1, size=(4, 7, 2)), rng.uniform(-1, 1, size=(4, 6, 2)))
    config = GCLConfig(n_iterations=2, episodes_per_iteration=2, policy_updates_per_iteration=3,
                       reward_steps_per_iteration=2, seed=3, device="cpu",
                       sac_kwargs={"batch_size": 8, "hidden": (8, 8)})
    return env, demos, config


def test_gcl_leaves_global_rng_alone_and_is_seeded():
    env, demos, config = short_gcl_problem()
    state = torch.get_rng_state()
    first = gcl(env, demos, config)
    assert torch.equal(state, torch.get_rng_state())
    torch.rand(5)                        # the caller's draws do not change the run
    again = gcl(env, demos, config)
    for key, values in first.history.items():
        np.testing.assert_array_equal(values, again.history[key], err_msg=key)
    assert isinstance(first, IRLResult) and isinstance(first, GCLResult) and first.policy.seed == 3
    obs = np.zeros((3, 2), np.float32)
    assert first.reward(obs, obs, obs).shape == (3,)


def test_gcl_runs_and_separates_demos_from_samples():
    """A short run on the point mass: finite history of the documented length, and the learned
    reward ranks the demonstrations above the policy's samples."""
    env = PointMassEnv(horizon=15, step_size=0.15)
    expert = SAC(env.observation_space, env.action_space, gamma=0.9, lr=3e-3, batch_size=128, seed=0, device="cpu")
    expert.train(env, 15, random_episodes=3, seed=0)
    demos = expert.rollout(env, 20, seed=100, store=False, deterministic=True)
    result = gcl(env, Demonstrations.from_rollouts(demos), GCLConfig(
        n_iterations=4, episodes_per_iteration=4, policy_updates_per_iteration=30, reward_steps_per_iteration=20,
        lr=1e-2, seed=0, device="cpu", sac_kwargs={"gamma": 0.9, "lr": 3e-3, "batch_size": 64}))
    h = result.history
    assert set(h) == {"loss", "ess", "ess_fraction", "true_return", "demo_reward", "sample_reward"}
    assert all(len(v) == 4 and np.all(np.isfinite(v)) for v in h.values())
    assert all(0 < f <= 1 for f in h["ess_fraction"])
    assert h["demo_reward"][-1] > h["sample_reward"][-1]
