"""Soft actor-critic (chapter 6): it learns a trivial task quickly, and its densities are right."""

import gymnasium as gym
import numpy as np
import pytest
import torch

import irlbook  # noqa: F401  (registers the environments)
from irlbook.deep.sac import SAC
from irlbook.envs import PointMassEnv, point_mass_reward

torch.set_num_threads(1)


def test_point_mass_env_is_registered_and_validates():
    env = gym.make("irlbook/PointMass-v0", horizon=5)
    obs, _ = env.reset(seed=0)
    assert obs.shape == (2,) and np.all(np.abs(obs) <= 1)
    for t in range(5):
        obs, reward, terminated, truncated, info = env.step(np.array([1.0, 1.0]))
        assert not terminated and truncated == (t == 4)
        assert reward == pytest.approx(float(point_mass_reward(obs)), abs=1e-6)
    with pytest.raises(ValueError, match="goal"):
        PointMassEnv(goal=(2.0, 0.0))
    with pytest.raises(ValueError, match="horizon"):
        PointMassEnv(horizon=0)
    with pytest.raises(ValueError, match="action"):
        PointMassEnv().step(np.array([np.nan, 0.0]))


@pytest.mark.parametrize("discrete", [False, True])
def test_sac_improves_on_point_mass(discrete):
    env = PointMassEnv(horizon=20, step_size=0.15, discrete=discrete)
    agent = SAC(env.observation_space, env.action_space, hidden=(64, 64), gamma=0.9, lr=3e-3, batch_size=128,
                seed=0, device="cpu")
    before = agent.rollout(env, 20, seed=1000, store=False)["returns"].mean()
    agent.train(env, n_episodes=25, random_episodes=3, seed=0)
    after = agent.rollout(env, 20, seed=1000, store=False)["returns"].mean()
    # the untrained policy wanders (mean distance ~1 per step); the trained one walks to the goal
    assert after > before + 5.0, (before, after)


@pytest.mark.parametrize("discrete", [False, True])
def test_sac_log_prob_is_a_normalised_density(discrete):
    env = PointMassEnv(discrete=discrete)
    agent = SAC(env.observation_space, env.action_space, seed=1, device="cpu")
    obs = np.array([[0.2, -0.3]], dtype=np.float32)
    if discrete:
        total = torch.logsumexp(agent.log_prob(np.repeat(obs, 5, 0), np.arange(5)).detach(), 0)
        assert float(total) == pytest.approx(0.0, abs=1e-6)
    else:
        # integrate exp(log pi(a|s)) over a grid of [-1, 1]^2 (the tanh squashing's Jacobian included)
        g = np.linspace(-1 + 1e-4, 1 - 1e-4, 801)
        a = np.stack(np.meshgrid(g, g, indexing="ij"), -1).reshape(-1, 2)
        dens = torch.exp(agent.log_prob(np.repeat(obs, len(a), 0), a)).detach().numpy().reshape(801, 801)
        assert np.trapezoid(np.trapezoid(dens, g), g) == pytest.approx(1.0, abs=0.02)
        # and the sampled actions' log-probabilities agree with log_prob of the same actions
        a_t, log_pi = agent._sample(torch.as_tensor(np.repeat(obs, 64, 0)))
        np.testing.assert_allclose(agent.log_prob(np.repeat(obs, 64, 0), a_t.detach()).detach(), log_pi.detach(),
                                   atol=1e-3)


def test_sac_rejects_bad_input():
    env = PointMassEnv()
    with pytest.raises(ValueError, match="gamma"):
        SAC(env.observation_space, env.action_space, gamma=0.0, device="cpu")
    with pytest.raises(ValueError, match="observation_space"):
        SAC(gym.spaces.Discrete(3), env.action_space, device="cpu")
    with pytest.raises(ValueError, match="replay buffer"):
        SAC(env.observation_space, env.action_space, device="cpu").update_many(1)


def test_reward_fn_relabels_the_buffer():
    """With reward_fn the critic learns the relabelled reward, not the environment's."""
    env = PointMassEnv(horizon=10)
    agent = SAC(env.observation_space, env.action_space, gamma=0.5, lr=3e-3, seed=2, device="cpu")
    agent.rollout(env, 10, seed=0, random_actions=True)
    agent.update_many(300, reward_fn=lambda o, a, n: torch.full((o.shape[0],), 3.0))
    batch = agent.buffer.sample(256, np.random.default_rng(0), "cpu")
    q = agent._q(agent.q1, batch["obs"], batch["actions"]).detach().mean()
    # Q = 3 + 0.5 (Q - alpha log pi) -> about 6 plus a small entropy bonus; the env reward is negative
    assert 4.0 < float(q) < 9.0


def test_sac_rejects_bad_settings_naming_them():
    env = PointMassEnv(horizon=4)
    spaces = env.observation_space, env.action_space
    for kwargs, name in (({"batch_size": 0}, "batch_size"), ({"init_alpha": float("inf")}, "init_alpha"),
                         ({"seed": -1}, "seed"), ({"hidden": (64, 0)}, "hidden"), ({"device": "nonsense"}, "device"),
                         ({"lr": float("nan")}, "lr"), ({"buffer_size": 0}, "buffer_size")):
        with pytest.raises(ValueError, match=name):
            SAC(*spaces, **kwargs)
    agent = SAC(*spaces, device="cpu")
    with pytest.raises(ValueError, match="n_episodes"):
        agent.train(env, -1)
    agent.rollout(env, 1, seed=0, random_actions=True)
    with pytest.raises(ValueError, match="n_updates"):
        agent.update_many(-1)
    assert agent.update_many(0) == []
    with pytest.raises(ValueError, match="obs"):
        agent.act(np.array([np.nan, 0.0]))


@pytest.mark.parametrize("discrete", [False, True])
def test_sac_is_seeded_locally(discrete):
    """Building and running an agent leaves torch's global random state alone, and the caller's own
    draws between building the agent and a rollout do not change the rollout."""
    env = PointMassEnv(horizon=6, discrete=discrete)

    def run(draw_between: bool):
        agent = SAC(env.observation_space, env.action_space, seed=4, batch_size=8, hidden=(8, 8), device="cpu")
        if draw_between:
            torch.rand(11)
        agent.train(env, 3, random_episodes=1, seed=0)
        if draw_between:
            torch.randn(3)
        return agent.rollout(env, 2, seed=50, store=False)

    state = torch.get_rng_state()
    first = run(False)
    assert torch.equal(state, torch.get_rng_state())
    second = run(True)
    np.testing.assert_array_equal(first["actions"], second["actions"])
    np.testing.assert_array_equal(first["returns"], second["returns"])
