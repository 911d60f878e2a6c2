"""PPO (irlbook.deep.ppo): GAE, the clipped surrogate, the policy's densities, the normalisers,
bit-identical resume from a checkpoint, and learning on CartPole-v1."""

import gymnasium as gym
import numpy as np
import pytest
import torch

from irlbook.deep.ppo import (
    PPO,
    RunningMeanStd,
    clipped_surrogate,
    env_state,
    evaluate,
    gae,
    make_vector_env,
    set_env_state,
)

torch.set_num_threads(1)


def test_gae_three_steps_by_hand():
    # one environment, steps 0, 1, 2; the episode ends at step 1, a new one starts at step 2
    gamma, lam = 0.9, 0.8
    r = [1.0, 2.0, 3.0]
    v = [0.5, 0.4, 0.3]
    done = [0.0, 1.0, 0.0]
    last_v = 0.7
    d2 = r[2] + gamma * last_v - v[2]                  # bootstraps from V(s_3)
    d1 = r[1] - v[1]                                   # terminal: no V(s_2) of the next episode
    d0 = r[0] + gamma * v[1] - v[0]
    a2 = d2
    a1 = d1                                            # the next episode's advantage does not leak back
    a0 = d0 + gamma * lam * a1
    adv, ret = gae(torch.tensor(r)[:, None], torch.tensor(v)[:, None], torch.tensor(done)[:, None],
                   torch.tensor([last_v]), gamma, lam)
    torch.testing.assert_close(adv[:, 0], torch.tensor([a0, a1, a2]))
    torch.testing.assert_close(ret[:, 0], torch.tensor([a0 + v[0], a1 + v[1], a2 + v[2]]))
    # lam = 1, no dones: the advantage is the discounted return to go minus V
    adv1, _ = gae(torch.tensor(r)[:, None], torch.tensor(v)[:, None], torch.zeros(3, 1), torch.tensor([last_v]),
                  gamma, 1.0)
    assert adv1[0, 0] == pytest.approx(1 + gamma * 2 + gamma ** 2 * 3 + gamma ** 3 * last_v - v[0], rel=1e-6)
    with pytest.raises(ValueError, match="last_value"):
        gae(torch.zeros(3, 2), torch.zeros(3, 2), torch.zeros(3, 2), torch.zeros(3), gamma, lam)


def test_clipped_surrogate_by_hand():
    eps = 0.2
    log_old = torch.zeros(4)
    ratio = torch.tensor([1.5, 0.5, 1.1, 0.7])
    adv = torch.tensor([2.0, 2.0, -1.0, -1.0])
    # by hand: min(rho A, clip(rho) A) = [min(3, 2.4), min(1, 1.6), min(-1.1, -1.1), min(-0.7, -0.8)]
    expected = -torch.tensor([2.4, 1.0, -1.1, -0.8]).mean()
    torch.testing.assert_close(clipped_surrogate(ratio.log(), log_old, adv, eps), expected)
    with pytest.raises(ValueError, match="clip"):
        clipped_surrogate(ratio.log(), log_old, adv, 0.0)


def test_gaussian_density_integrates_to_one():
    space = gym.spaces.Box(-np.inf, np.inf, (3,), np.float32)
    agent = PPO(space, gym.spaces.Box(-2.0, 2.0, (1,), np.float32), init_log_std=-0.5, norm_obs=False, seed=3)
    obs = np.array([[0.3, -1.0, 2.0]], np.float32)
    a = np.linspace(-8, 8, 4001, dtype=np.float32)[:, None]
    with torch.no_grad():
        density = agent.log_prob(np.repeat(obs, len(a), 0), a).exp().numpy()
    assert np.trapezoid(density, a[:, 0]) == pytest.approx(1.0, abs=1e-4)


def test_categorical_probabilities_sum_to_one():
    space = gym.spaces.Box(-1.0, 1.0, (2,), np.float32)
    agent = PPO(space, gym.spaces.Discrete(5), seed=1)
    obs = np.random.default_rng(0).normal(size=(6, 2)).astype(np.float32)
    with torch.no_grad():
        total = sum(agent.log_prob(obs, np.full(6, k)).exp() for k in range(5))
    torch.testing.assert_close(total, torch.ones(6))


def test_running_mean_std_matches_numpy():
    rng = np.random.default_rng(0)
    x = rng.normal(3.0, 2.0, size=(500, 2))
    rms = RunningMeanStd((2,), epsilon=0.0 + 1e-12)
    for chunk in np.array_split(x, 7):
        rms.update(chunk)
    np.testing.assert_allclose(rms.mean, x.mean(0), rtol=1e-9)
    np.testing.assert_allclose(rms.var, x.var(0), rtol=1e-6)
    z = rms.normalise(x)
    np.testing.assert_allclose(z.mean(0), 0, atol=1e-5)
    np.testing.assert_allclose(z.std(0), 1, atol=1e-5)
    assert np.abs(rms.normalise(x * 100, clip=5.0)).max() <= 5.0
    with pytest.raises(ValueError, match="x must have shape"):
        rms.update(np.zeros((3, 4)))


def test_bad_arguments_name_themselves():
    obs_space, act_space = gym.spaces.Box(-1, 1, (2,), np.float32), gym.spaces.Discrete(2)
    for kwargs, name in (({"lr": 0}, "lr"), ({"gae_lambda": 1.5}, "gae_lambda"), ({"n_steps": 0}, "n_steps"),
                         ({"clip": -0.1}, "clip"), ({"hidden": (0,)}, "hidden")):
        with pytest.raises(ValueError, match=name):
            PPO(obs_space, act_space, **kwargs)
    with pytest.raises(ValueError, match="action_space"):
        PPO(obs_space, gym.spaces.MultiBinary(3))


def small_agent(envs, **kwargs):
    settings = dict(n_steps=32, total_steps=256, n_minibatches=4, update_epochs=2, seed=7)
    return PPO(envs.single_observation_space, envs.single_action_space, **{**settings, **kwargs})


def parameters(agent):
    return torch.cat([p.detach().reshape(-1) for group in agent.optimizer.param_groups for p in group["params"]])


@pytest.mark.parametrize("env_id", ["Pendulum-v1", "CartPole-v1"])
def test_resume_is_bit_identical(tmp_path, env_id):
    """N steps straight = N/2, save, load into a fresh agent and fresh environments, N/2 more."""
    straight_envs = make_vector_env(env_id, 2)
    straight = small_agent(straight_envs)
    straight.learn(straight_envs, 256)
    first_envs = make_vector_env(env_id, 2)
    first = small_agent(first_envs)
    first.learn(first_envs, 128)
    first.save(tmp_path / "ppo.pt", first_envs)
    resumed_envs = make_vector_env(env_id, 2)
    resumed = small_agent(resumed_envs).load(tmp_path / "ppo.pt", resumed_envs)
    resumed.learn(resumed_envs, 256)
    assert resumed.step == straight.step == 256
    assert torch.equal(parameters(resumed), parameters(straight))
    np.testing.assert_array_equal(resumed.obs_rms.mean, straight.obs_rms.mean)
    assert resumed.history.returns == straight.history.returns
    # without the environments' state the continuation differs (the test can fail)
    other_envs = make_vector_env(env_id, 2)
    other = small_agent(other_envs).load(tmp_path / "ppo.pt")
    other_envs.reset(seed=99)
    other.learn(other_envs, 256)
    assert not torch.equal(parameters(other), parameters(straight))


def test_a_checkpoint_from_another_kind_of_device_loads(tmp_path):
    """A CUDA generator's state (16 bytes) does not fit a CPU generator: loading restarts the sampling stream
    from the seed and the iteration and keeps everything else."""
    envs = make_vector_env("Pendulum-v1", 2)
    agent = small_agent(envs)
    agent.learn(envs, 64)
    state = agent.state_dict()
    state["generator"] = torch.zeros(16, dtype=torch.uint8)
    other = small_agent(make_vector_env("Pendulum-v1", 2))
    other.load_state_dict(state)
    assert torch.equal(parameters(other), parameters(agent)) and other.step == agent.step
    assert torch.equal(other.generator.get_state(), torch.Generator().manual_seed(7 + agent.iteration).get_state())


@pytest.mark.gpu
@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA")
def test_resume_is_bit_identical_on_cuda(tmp_path):
    """The same on CUDA: the networks, the sampling generator and the checkpoint live on the device."""
    straight_envs = make_vector_env("Pendulum-v1", 2)
    straight = small_agent(straight_envs, device="cuda")
    assert next(straight.actor.parameters()).is_cuda
    straight.learn(straight_envs, 256)
    first_envs = make_vector_env("Pendulum-v1", 2)
    first = small_agent(first_envs, device="cuda")
    first.learn(first_envs, 128)
    first.save(tmp_path / "ppo.pt", first_envs)
    resumed_envs = make_vector_env("Pendulum-v1", 2)
    resumed = small_agent(resumed_envs, device="cuda").load(tmp_path / "ppo.pt", resumed_envs)
    resumed.learn(resumed_envs, 256)
    assert torch.equal(parameters(resumed), parameters(straight))
    assert resumed.history.returns == straight.history.returns
    # a CUDA checkpoint loads into a CPU agent (same weights, moved)
    on_cpu = small_agent(make_vector_env("Pendulum-v1", 2), device="cpu").load(tmp_path / "ppo.pt")
    assert torch.equal(parameters(on_cpu), parameters(first).cpu())
    assert np.isfinite(evaluate(on_cpu, gym.make("Pendulum-v1"), 1))


def test_mujoco_env_state_round_trip():
    pytest.importorskip("mujoco")
    env = gym.make("Hopper-v5")
    env.reset(seed=0)
    for _ in range(5):
        env.step(np.full(3, 0.3))
    saved = env_state(env)
    after = [env.step(np.full(3, -0.2))[0] for _ in range(5)]
    other = gym.make("Hopper-v5")
    other.reset(seed=123)
    set_env_state(other, saved)
    again = [other.step(np.full(3, -0.2))[0] for _ in range(5)]
    np.testing.assert_array_equal(np.array(after), np.array(again))


def test_reward_fn_replaces_the_environment_reward():
    envs = make_vector_env("Pendulum-v1", 2)
    agent = small_agent(envs, norm_reward=False)
    batch = agent.collect(envs)
    calls = []

    def reward_fn(obs, actions, next_obs):
        calls.append((obs.shape, actions.shape, next_obs.shape))
        return next_obs[:, 0] - obs[:, 0]

    rewards = agent._rewards(batch, reward_fn)
    np.testing.assert_allclose(rewards, batch["next_obs"][..., 0] - batch["obs"][..., 0], rtol=1e-6)
    assert calls == [((64, 3), (64, 1), (64, 3))]
    with pytest.raises(ValueError, match="reward_fn"):
        agent._rewards(batch, lambda o, a, n: torch.zeros(3))


@pytest.mark.slow
def test_learns_cartpole():
    """Random play lasts about 22 steps; after 20k steps PPO balances far longer."""
    envs = make_vector_env("CartPole-v1", 4)
    agent = PPO(envs.single_observation_space, envs.single_action_space, n_steps=128, total_steps=20_000,
                n_minibatches=4, update_epochs=4, ent_coef=0.01, lr=2.5e-4, seed=0)
    agent.learn(envs, 20_000)
    assert np.mean(agent.history.returns[:20]) < 40
    assert evaluate(agent, gym.make("CartPole-v1"), 5) > 150


def test_behavioural_cloning_recovers_a_linear_gaussian_expert():
    """Cloning fits the mean and the spread of a known Gaussian expert a = W s + 0.1 eps by maximum likelihood;
    the log-likelihood it returns is the validation pairs' mean, close to the expert's own."""
    from irlbook.deep.bc import behavioural_cloning

    envs = make_vector_env("Pendulum-v1", 1)        # 3-dimensional observations, 1 action
    agent = PPO(envs.single_observation_space, envs.single_action_space, seed=0, hidden=(32, 32))
    rng = np.random.default_rng(0)
    obs = rng.normal(size=(4000, 3)).astype(np.float32)
    w = np.array([[0.5], [-0.3], [0.2]], np.float32)
    actions = obs @ w + 0.1 * rng.normal(size=(4000, 1)).astype(np.float32)
    with torch.no_grad():
        before = float(agent.log_prob(obs, actions).mean())
    score = behavioural_cloning(agent, obs, actions, epochs=30, seed=0, lr=1e-2)
    expert_loglik = -0.5 * np.log(2 * np.pi * 0.1**2) - 0.5          # E[log N(a; W s, 0.1^2)]
    assert before < 0 < score and abs(score - expert_loglik) < 0.15, (before, score, expert_loglik)
    np.testing.assert_allclose(agent.log_std.exp().item(), 0.1, rtol=0.15)
    test = rng.normal(size=(200, 3)).astype(np.float32)
    error = np.abs(agent.act(test, deterministic=True) - np.clip(test @ w, -2, 2))
    assert error.mean() < 0.03 and error.max() < 0.2, (error.mean(), error.max())
    with pytest.raises(ValueError, match="epochs"):
        behavioural_cloning(agent, obs, actions, epochs=0, seed=0)
    with pytest.raises(ValueError, match="actions"):
        behavioural_cloning(agent, obs, actions[:10], epochs=1, seed=0)
    with pytest.raises(ValueError, match="obs"):
        behavioural_cloning(agent, obs[:, :2], actions, epochs=1, seed=0)
    discrete = make_vector_env("CartPole-v1", 1)
    with pytest.raises(ValueError, match="agent"):
        behavioural_cloning(PPO(discrete.single_observation_space, discrete.single_action_space, seed=0),
                            obs[:, :3], np.zeros((4000, 1)), epochs=1, seed=0)
