"""Continuous adversarial IRL (chapter 7): discriminator forms, losses, the loop, the point maze."""

import copy

import gymnasium as gym
import numpy as np
import pytest
import torch

from irlbook.book.protocols import transfer_experiment
from irlbook.core.demonstrations import Demonstrations
from irlbook.core.result import IRLResult
from irlbook.deep.adversarial import (
    AdversarialConfig,
    DeepAdversarialResult,
    Discriminator,
    adversarial_imitation,
    evaluate,
    generator_reward,
    minibatch_discriminator_loss,
    reoptimise,
    structured_probability,
)
from irlbook.envs import PointMazeEnv, scripted_maze_demos
from irlbook.envs.point_maze import in_wall
from irlbook.tabular.adversarial import METHODS


def maze_demos(env, n, seed=0):
    return Demonstrations.from_rollouts(scripted_maze_demos(env, n, seed=seed))


def fit(env, demos, discriminator=None, **settings):
    return adversarial_imitation(env, demos, AdversarialConfig(**settings), discriminator=discriminator)

torch.set_num_threads(1)


def batch(B=7, obs_dim=3, act_dim=2, seed=0):
    g = torch.Generator().manual_seed(seed)
    return (torch.randn(B, obs_dim, generator=g), torch.rand(B, act_dim, generator=g) * 2 - 1,
            torch.randn(B, obs_dim, generator=g))


@pytest.mark.parametrize("kind", ["gail", "airl", "gan_gcl"])
def test_discriminator_shapes(kind):
    torch.manual_seed(0)
    disc = Discriminator(kind, 3, 2, gamma=0.9)
    obs, act, nxt = batch()
    log_pi = torch.randn(7)
    assert disc.f(obs, act, nxt).shape == (7,)
    assert disc.logit(obs, act, nxt, log_pi).shape == (7,)
    assert disc.learned_reward(obs, act, nxt).shape == (7,)
    if kind == "gail":          # unconstrained: log pi does not enter
        torch.testing.assert_close(disc.logit(obs, act, nxt, log_pi), disc.f(obs, act, nxt))
    else:                       # l = f - log pi
        torch.testing.assert_close(disc.logit(obs, act, nxt, log_pi), disc.f(obs, act, nxt) - log_pi)


def test_airl_shaping_decomposition():
    torch.manual_seed(1)
    disc = Discriminator("airl", 3, 2, gamma=0.9)
    obs, act, nxt = batch()
    g, h, h_next = disc.g_h(obs, nxt)
    f = disc.f(obs, act, nxt)
    torch.testing.assert_close(f, g + 0.9 * h_next - h)
    # state-only: actions do not matter
    torch.testing.assert_close(f, disc.f(obs, -act, nxt))
    # terminal transitions drop the next potential
    done = torch.tensor([1.0, 0, 1, 0, 0, 1, 0])
    torch.testing.assert_close(disc.f(obs, act, nxt, done), g + 0.9 * (1 - done) * h_next - h)
    # the learned reward for transfer is g(s')
    torch.testing.assert_close(disc.learned_reward(obs, act, nxt), disc.g(nxt)[:, 0])
    # shaping cancels along a trajectory with gamma = 1: sum f = sum g + h(s_T) - h(s_0)
    disc1 = Discriminator("airl", 3, 2, gamma=1.0)
    states = torch.randn(6, 3)
    f_traj = disc1.f(states[:-1], torch.zeros(5, 2), states[1:])
    h_all = disc1.h(states)[:, 0]
    torch.testing.assert_close(f_traj.sum(), disc1.g(states[:-1])[:, 0].sum() + h_all[-1] - h_all[0])


def test_structured_probability_is_exp_f_over_exp_f_plus_pi():
    f = torch.tensor([-3.0, 0.0, 1.5, 4.0], dtype=torch.float64)
    log_pi = torch.tensor([0.5, -1.0, 2.0, -4.0], dtype=torch.float64)
    explicit = torch.exp(f) / (torch.exp(f) + torch.exp(log_pi))
    torch.testing.assert_close(structured_probability(f, log_pi), explicit)
    # extreme values saturate instead of overflowing: D -> 1 when exp f >> pi, D -> 0 when exp f << pi
    extreme = structured_probability(torch.tensor([1e4, -1e4]), torch.tensor([-1e4, 1e4]))
    torch.testing.assert_close(extreme, torch.tensor([1.0, 0.0]))


def test_discriminator_loss_is_bce():
    le, lp = torch.tensor([0.3, -1.0, 2.0]), torch.tensor([-0.5, 1.5])
    expected = -torch.log(torch.sigmoid(le)).mean() - torch.log(1 - torch.sigmoid(lp)).mean()
    torch.testing.assert_close(minibatch_discriminator_loss(le, lp), expected)
    # optimal constant logit for equal batch sizes, expert fraction q: l* = log q/(1-q) (here 0 by symmetry)
    x = torch.zeros(1, requires_grad=True)
    minibatch_discriminator_loss(x.expand(4), x.expand(4)).backward()
    assert abs(float(x.grad)) < 1e-7


def test_bad_inputs_raise():
    with pytest.raises(ValueError, match="method"):
        Discriminator("wgan", 3, 2)
    with pytest.raises(ValueError, match="obs_dim"):
        Discriminator("gail", -1, 2)
    with pytest.raises(ValueError, match="hidden"):
        Discriminator("gail", 1, 2, hidden=(0,))
    with pytest.raises(ValueError, match="seed"):
        Discriminator("gail", 1, 2, seed=-2)
    with pytest.raises(ValueError, match="gamma"):
        Discriminator("airl", 3, 2, gamma=0.0)
    disc = Discriminator("airl", 3, 2)
    obs, act, nxt = batch()
    with pytest.raises(ValueError, match="obs"):
        disc.f(obs[:, :2], act, nxt)
    with pytest.raises(ValueError, match="finite"):
        disc.f(obs * float("nan"), act, nxt)
    with pytest.raises(ValueError, match="log_pi"):
        disc.logit(obs, act, nxt)
    with pytest.raises(ValueError, match="g_h"):
        Discriminator("gail", 3, 2).g_h(obs, nxt)
    with pytest.raises(ValueError, match="expert_logit"):
        minibatch_discriminator_loss(torch.zeros(0), torch.zeros(3))
    with pytest.raises(ValueError, match="f and log_pi"):
        structured_probability(torch.zeros(3), torch.zeros(2))
    env = PointMazeEnv()
    demos = maze_demos(env, 2)
    for settings, name in (({"method": "bc"}, "method"), ({"n_iterations": 0}, "n_iterations"),
                           ({"disc_lr": float("nan")}, "disc_lr"),
                           ({"updates_per_iteration": -1}, "updates_per_iteration"),
                           ({"seed": -1}, "seed"), ({"disc_hidden": (8, -8)}, "disc_hidden"),
                           ({"device": "nonsense"}, "device"), ({"random_iterations": 1.5}, "random_iterations")):
        with pytest.raises(ValueError, match=name):
            AdversarialConfig(**settings)
    with pytest.raises(ValueError, match="discriminator"):
        fit(env, demos, method="airl", discriminator=Discriminator("gail", 2, 2))
    with pytest.raises(TypeError, match="demos"):
        adversarial_imitation(env, scripted_maze_demos(env, 2))
    with pytest.raises(ValueError, match="observations"):
        adversarial_imitation(env, Demonstrations.continuous(np.zeros((2, 4, 3)), np.zeros((2, 3, 2))))
    with pytest.raises(ValueError, match="n_episodes"):
        reoptimise(env, None, 0)


@pytest.mark.parametrize("kind", ["gail", "airl", "gan_gcl"])
def test_smoke_loop_runs_and_changes_the_reward(kind):
    env = PointMazeEnv(horizon=10)
    demos = maze_demos(env, 3, seed=0)
    expert = demos.transitions()
    obs, act, nxt = (torch.as_tensor(expert[k]) for k in ("obs", "actions", "next_obs"))
    disc = Discriminator(kind, 2, 2, gamma=0.99, hidden=(16, 16))
    initial = copy.deepcopy(disc)
    with torch.no_grad():
        before = disc.learned_reward(obs, act, nxt)
    res = fit(env, demos, method=kind, n_iterations=4, random_iterations=2, disc_steps=3, disc_batch=16,
              sac_kwargs=dict(hidden=(16, 16), batch_size=16), device="cpu", seed=0, discriminator=disc)
    assert res.discriminator is disc and isinstance(res, IRLResult)
    # one entry per iteration; D is a probability on both sides
    history = res.history
    assert all(len(history[k]) == 4 for k in ("returns", "disc_loss", "expert_prob", "policy_prob"))
    assert all(v.ndim == 1 for v in history.values())
    assert np.all((0 < history["expert_prob"]) & (history["expert_prob"] < 1))
    assert np.all((0 < history["policy_prob"]) & (history["policy_prob"] < 1))
    # the generator's reward is the energy f, the learned reward g(s') for AIRL and f = d otherwise
    with torch.no_grad():
        np.testing.assert_array_equal(generator_reward(disc)(obs, act, nxt), disc.f(obs, act, nxt))
        learned = disc.g(nxt)[:, 0] if kind == "airl" else disc.f(obs, act, nxt)
    after = res.reward(obs, act, nxt)
    np.testing.assert_array_equal(after, learned)
    assert not torch.allclose(before, after)
    # training lowered the discriminator's loss on all the expert data against all the agent's experience
    buffer = res.policy.buffer
    policy = [torch.as_tensor(getattr(buffer, b)[:buffer.size]) for b in ("obs", "actions", "next_obs")]
    with torch.no_grad():
        log_pi_e = None if kind == "gail" else res.policy.log_prob(obs, act)
        log_pi_p = None if kind == "gail" else res.policy.log_prob(*policy[:2])
        loss_before, loss_after = (minibatch_discriminator_loss(d.logit(obs, act, nxt, log_pi_e),
                                                                d.logit(*policy, log_pi_p))
                                   for d in (initial, disc))
    assert loss_after < loss_before - 0.01, (float(loss_before), float(loss_after))


def test_point_maze_wall_and_layouts():
    assert in_wall([0.0, 0.0], "left") and in_wall([0.0, 0.0], "right")
    assert not in_wall([-0.8, 0.0], "left") and in_wall([-0.8, 0.0], "right")
    assert in_wall([0.8, 0.0], "left") and not in_wall([0.8, 0.0], "right")
    env = gym.make("irlbook/PointMaze-v0", layout="left").unwrapped
    # straight up from below the wall: blocked before the band, never inside it
    p = np.array([0.0, -0.15])
    q = env.move(p, np.array([0.0, 1.0]))
    assert q[1] < -env.wall_half_width and not in_wall(q, "left")
    # through the gap: free
    np.testing.assert_allclose(env.move(np.array([-0.8, -0.1]), np.array([0.0, 1.0])), [-0.8, 0.05])
    with pytest.raises(ValueError, match="layout"):
        PointMazeEnv(layout="middle")
    with pytest.raises(ValueError, match="horizon"):
        PointMazeEnv(horizon=0)
    with pytest.raises(ValueError, match="goal"):
        PointMazeEnv(goal=(0.0, 0.0))
    with pytest.raises(ValueError, match="action"):
        env.reset(seed=0)
        env.step(np.array([np.nan, 0.0]))


def test_scripted_expert_goes_round_in_its_layout_only():
    left, right = PointMazeEnv(layout="left"), PointMazeEnv(layout="right")
    for env in (left, right):
        demos = scripted_maze_demos(env, 5, seed=0)
        assert demos["states"].shape == (5, env.horizon + 1, 2) and demos["actions"].shape == (5, env.horizon, 2)
        assert np.all(np.linalg.norm(demos["states"][:, -1] - env.goal, axis=-1) < 0.15)
        assert not in_wall(demos["states"].reshape(-1, 2), env.layout).any()
        assert np.abs(demos["actions"]).max() <= 0.95
    # staying under the wall (the distance trap) scores worse than the expert
    env = PointMazeEnv(layout="left")
    env.reset(seed=0)
    trap = sum(env.step(np.array([0.0, 1.0]))[1] for _ in range(env.horizon))
    assert trap < scripted_maze_demos(env, 5)["returns"].mean() - 5


@pytest.mark.gpu
@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA")
def test_loop_on_gpu():
    env = PointMazeEnv(horizon=10)
    demos = maze_demos(env, 3, seed=0)
    config = AdversarialConfig(method="airl", n_iterations=3, random_iterations=1, disc_batch=16,
                               sac_kwargs=dict(hidden=(16, 16), batch_size=16), device="cuda", seed=0)
    state = torch.get_rng_state(), torch.cuda.get_rng_state()
    res = adversarial_imitation(env, demos, config)
    assert torch.equal(state[0], torch.get_rng_state()) and torch.equal(state[1], torch.cuda.get_rng_state())
    again = adversarial_imitation(env, demos, config)
    np.testing.assert_array_equal(res.history["disc_loss"], again.history["disc_loss"])
    assert next(res.discriminator.parameters()).device.type == "cuda"
    assert np.isfinite(res.history["disc_loss"]).all()
    assert np.isfinite(evaluate(res.policy, env, 2))


@pytest.mark.gpu
@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA")
def test_discriminator_forms_on_gpu():
    disc = Discriminator("airl", 3, 2).cuda()
    obs, act, nxt = (t.cuda() for t in batch())
    g, h, h_next = disc.g_h(obs, nxt)
    torch.testing.assert_close(disc.f(obs, act, nxt), g + disc.gamma * h_next - h)


def test_transfer_experiment_smoke():
    train, test = PointMazeEnv(layout="left", horizon=5), PointMazeEnv(layout="right", horizon=5)
    demos = maze_demos(train, 2, seed=0)
    run = transfer_experiment(train, test, demos, 2, methods=("airl", "gail"),
                              sac_kwargs=dict(hidden=(8, 8), batch_size=8), device="cpu", seed=0, n_eval=2)
    assert set(run["returns"]) == {"AIRL reward", "GAIL reward", "true reward", "GAIL policy"}
    # each return is the agent's deterministic evaluation in the test maze, where r = -distance to the goal
    for name, value in run["returns"].items():
        assert value == evaluate(run["agents"][name], test, 2), name
        assert -test.horizon * 2 * np.sqrt(2) <= value <= 0, (name, value)
    assert run["agents"]["GAIL policy"] is run["fits"]["gail"].policy
    with pytest.raises(ValueError, match="methods"):
        transfer_experiment(train, test, demos, 2, methods=())



def test_entropy_counted_twice_fixed_point():
    """SAC at temperature alpha on l = f - log pi_old: the fixed point pi = pi_old is softmax(f / (1 + alpha))."""
    f, alpha = np.array([1.0, -0.5, 2.0, 0.3]), 0.4
    pi = np.full(4, 0.25)
    for _ in range(500):   # damped iteration of the best response pi <- softmax((f - log pi) / alpha)
        best = np.exp((f - np.log(pi)) / alpha)
        pi = 0.5 * pi + 0.5 * best / best.sum()
    target = np.exp(f / (1 + alpha))
    np.testing.assert_allclose(pi, target / target.sum(), atol=1e-8)


def test_generator_reward_counts_the_entropy_once():
    """SAC on f at temperature 1 maximises E[sum_t l] for AIRL / GAN-GCL: the default temperature is fixed at 1."""
    env = PointMazeEnv(horizon=5)
    demos = maze_demos(env, 2, seed=0)
    for kind, fixed in (("airl", True), ("gan_gcl", True), ("gail", False)):
        res = fit(env, demos, method=kind, n_iterations=2, random_iterations=2, disc_steps=1,
                  disc_batch=8, sac_kwargs=dict(hidden=(8, 8), batch_size=8), device="cpu")
        if fixed:
            assert res.policy.alpha == pytest.approx(1.0) and not res.policy.learn_alpha
        else:
            assert res.policy.learn_alpha
        obs, act, nxt = (torch.as_tensor(demos.transitions()[k]) for k in ("obs", "actions", "next_obs"))
        with torch.no_grad():
            torch.testing.assert_close(generator_reward(res.discriminator)(obs, act, nxt),
                                       res.discriminator.f(obs, act, nxt))
            log_pi = None if kind == "gail" else res.policy.log_prob(obs, act)
            # the logit is f - log pi: SAC's -alpha log pi with alpha = 1 supplies the second term
            logit = res.discriminator.logit(obs, act, nxt, log_pi)
            torch.testing.assert_close(logit, res.discriminator.f(obs, act, nxt) - (0 if log_pi is None else log_pi))


@pytest.mark.parametrize("kind", ["gail", "airl", "gan_gcl"])
def test_discrete_discriminator_one_hot(kind):
    disc = Discriminator(kind, 3, 4, gamma=0.9, discrete=True)
    obs, nxt = torch.randn(6, 3), torch.randn(6, 3)
    actions = torch.tensor([0, 1, 2, 3, 1, 0])
    f = disc.f(obs, actions, nxt)
    if kind != "airl":   # the state-action net sees the one-hot action
        manual = disc.net(torch.cat([obs, torch.nn.functional.one_hot(actions, 4).float()], -1))[:, 0]
        torch.testing.assert_close(f, manual)
    else:                # AIRL's f = g(s) + gamma h(s') - h(s) is state-only: the action does not enter it
        g, h, h_next = disc.g_h(obs, nxt)
        torch.testing.assert_close(f, g + 0.9 * h_next - h)
        torch.testing.assert_close(disc.f(obs, actions.flip(0), nxt), f)
    with pytest.raises(ValueError, match="range"):
        disc.f(obs, torch.tensor([0, 1, 2, 4, 1, 0]), nxt)
    with pytest.raises(ValueError, match="shapes"):
        disc.f(obs, torch.zeros(6, 4), nxt)


def test_absorbing_state_gives_cartpole_a_fixed_horizon():
    from irlbook.envs import AbsorbingState

    env = AbsorbingState(gym.make("CartPole-v1"), horizon=60)
    assert env.observation_space.shape == (5,)
    obs, _ = env.reset(seed=0)
    assert obs[-1] == 0.0
    steps, flags, rewards = 0, [], []
    done = False
    while not done:
        obs, r, terminated, truncated, _ = env.step(0)    # always push left: the pole falls within 60 steps
        assert not terminated
        flags.append(obs[-1]), rewards.append(r)
        steps, done = steps + 1, truncated
    assert steps == 60
    first = flags.index(1.0)
    assert 0 < first < 59 and all(f == 1.0 for f in flags[first:])       # absorbing once entered
    assert sum(rewards) == first + 1 and all(r == 0.0 for r in rewards[first + 1:])   # true return unchanged
    # the same return as the unwrapped environment's episode
    inner = gym.make("CartPole-v1")
    inner.reset(seed=0)
    inner_return, done = 0.0, False
    while not done:
        _, r, terminated, truncated, _ = inner.step(0)
        inner_return, done = inner_return + r, terminated or truncated
    assert inner_return == sum(rewards)
    with pytest.raises(ValueError, match="horizon"):
        AbsorbingState(gym.make("CartPole-v1"), horizon=0)
    with pytest.raises(ValueError, match="horizon must be at most"):
        AbsorbingState(gym.make("CartPole-v1", max_episode_steps=50), horizon=60)
    assert AbsorbingState(gym.make("CartPole-v1", max_episode_steps=50)).horizon == 50


def test_cartpole_loop_smoke():
    """Discrete actions through the whole loop: SAC (softmax actor) and a one-hot discriminator."""
    from irlbook.deep.sac import SAC
    from irlbook.envs import AbsorbingState

    env = AbsorbingState(gym.make("CartPole-v1"), horizon=20)
    expert = SAC(env.observation_space, env.action_space, hidden=(8, 8), batch_size=8, device="cpu")
    demos = expert.rollout(env, 2, seed=0, random_actions=True, store=False)
    assert demos["actions"].shape == (2, 20)
    res = fit(env, Demonstrations.from_rollouts(demos), method="airl", n_iterations=3, random_iterations=1,
              disc_steps=2, disc_batch=8, sac_kwargs=dict(hidden=(8, 8), batch_size=8), device="cpu")
    assert res.discriminator.discrete and len(res.history["returns"]) == len(res.history["disc_loss"]) == 3
    # CartPole pays 1 per step until the pole falls; the absorbing state pads every episode to 20 steps
    assert np.all((1 <= res.history["returns"]) & (res.history["returns"] <= 20)), res.history["returns"]
    assert np.all((0 < res.history["expert_prob"]) & (res.history["expert_prob"] < 1))
    assert np.all((0 < res.history["policy_prob"]) & (res.history["policy_prob"] < 1))


def test_generator_reward_kind():
    env = PointMazeEnv(horizon=5)
    demos = maze_demos(env, 2, seed=0)
    with pytest.raises(ValueError, match="generator_reward_kind"):
        AdversarialConfig(method="airl", n_iterations=1, generator_reward_kind="energy")
    res = fit(env, demos, method="airl", n_iterations=2, random_iterations=2, disc_steps=1, disc_batch=8,
              sac_kwargs=dict(hidden=(8, 8), batch_size=8), device="cpu", generator_reward_kind="logit")
    assert res.policy.learn_alpha    # the pitfall's variant keeps SAC's automatic temperature


def test_discriminator_and_loop_are_seeded_locally():
    """Building a discriminator or running the loop leaves torch's global random state alone; the same
    seed gives the same run whatever the caller drew before."""
    state = torch.get_rng_state()
    a, b = Discriminator("airl", 3, 2, seed=5), Discriminator("airl", 3, 2, seed=5)
    assert all(torch.equal(p, q) for p, q in zip(a.parameters(), b.parameters(), strict=True))
    assert torch.equal(state, torch.get_rng_state())
    env = PointMazeEnv(horizon=5)
    demos = maze_demos(env, 2, seed=0)
    config = AdversarialConfig(method="gan_gcl", n_iterations=3, random_iterations=1, disc_steps=2, disc_batch=8,
                               sac_kwargs=dict(hidden=(8, 8), batch_size=8), device="cpu", seed=2)
    first = adversarial_imitation(env, demos, config)
    assert torch.equal(state, torch.get_rng_state())
    torch.rand(9)
    again = adversarial_imitation(env, demos, config)
    assert isinstance(first, DeepAdversarialResult)
    for key, values in first.history.items():
        np.testing.assert_array_equal(values, again.history[key], err_msg=key)


def test_methods_come_from_the_tabular_module():
    assert set(METHODS) == {"gail", "gan_gcl", "airl"}
    assert AdversarialConfig().method in METHODS


# ---------------------------------------------------------------------------- the on-policy (PPO) generator
def constant_disc(method, value, gamma=0.9):
    """A discriminator whose networks output fixed, hand-computable values (obs_dim 2, act_dim 1, hidden (1,)).

    GAIL/GAN-GCL: ``d = value``; AIRL: ``g = value``, ``h(s) = 2 relu(s_0) + 0.5``."""
    disc = Discriminator(method, 2, 1, gamma=gamma, hidden=(1,))
    with torch.no_grad():
        for p in disc.parameters():
            p.zero_()
        if method == "airl":
            disc.g[-1].bias.fill_(value)
            disc.h[0].weight[0, 0] = 1.0
            disc.h[-1].weight.fill_(2.0)
            disc.h[-1].bias.fill_(0.5)
        else:
            disc.net[-1].bias.fill_(value)
    return disc


class FixedLogPi:
    def __init__(self, value):
        self.value = value

    def log_prob(self, obs, actions):
        return torch.full((len(obs),), self.value)


def test_policy_rewards_on_hand_values():
    from irlbook.deep.adversarial import policy_reward

    obs, act, nxt = torch.tensor([[1.0, 0.0]]), torch.tensor([[0.3]]), torch.tensor([[2.0, 5.0]])
    gail = constant_disc("gail", float(np.log(3.0)))          # D = 3 / (1 + 3) = 0.75
    assert float(policy_reward(gail, "logit")(obs, act, nxt)) == pytest.approx(np.log(3.0))     # log D - log(1 - D)
    assert float(policy_reward(gail, "minus_log_one_minus_d")(obs, act, nxt)) == pytest.approx(np.log(4.0))
    airl = constant_disc("airl", 1.0, gamma=0.9)
    f = 1.0 + 0.9 * (2 * 2.0 + 0.5) - (2 * 1.0 + 0.5)         # g(s) + gamma h(s') - h(s) = 2.55
    assert float(policy_reward(airl, "f")(obs, act, nxt)) == pytest.approx(f)
    log_pi = -0.7
    assert float(policy_reward(airl, "logit", FixedLogPi(log_pi))(obs, act, nxt)) == pytest.approx(f - log_pi)
    # D = exp f / (exp f + pi): -log(1 - D) = log(1 + exp f / pi)
    assert float(policy_reward(airl, "minus_log_one_minus_d", FixedLogPi(log_pi))(obs, act, nxt)) == pytest.approx(
        np.log1p(np.exp(f) / np.exp(log_pi)))
    # f - w log pi: the entropy weighted by w (Fu et al.'s code: 0.1); 0 leaves f alone
    assert float(policy_reward(airl, "logit", FixedLogPi(log_pi), 0.1)(obs, act, nxt)) == pytest.approx(
        f - 0.1 * log_pi)
    assert float(policy_reward(airl, "logit", FixedLogPi(log_pi), 0.0)(obs, act, nxt)) == pytest.approx(f)
    with pytest.raises(ValueError, match="entropy_weight"):
        policy_reward(gail, "logit", entropy_weight=0.1)                  # GAIL's reward has no log pi
    with pytest.raises(ValueError, match="entropy_weight"):
        policy_reward(airl, "minus_log_one_minus_d", FixedLogPi(log_pi), entropy_weight=0.1)
    with pytest.raises(ValueError, match="entropy_weight"):
        policy_reward(airl, "logit", FixedLogPi(log_pi), entropy_weight=-1.0)
    with pytest.raises(ValueError, match="entropy_weight"):
        AdversarialConfig(entropy_weight=0.1)                            # SAC has its own temperature
    with pytest.raises(ValueError, match="agent"):
        policy_reward(airl, "logit")
    with pytest.raises(ValueError, match="kind"):
        policy_reward(gail, "reward")


def pendulum_demos(n=2, T=200, seed=0):
    """Short Pendulum rollouts of a crude energy-pumping controller (shapes matter here, not quality)."""
    env = gym.make("Pendulum-v1")
    states, actions = [], []
    for e in range(n):
        obs, _ = env.reset(seed=seed + e)
        s, a = [obs], []
        for _ in range(T):
            act = np.clip([-2.0 * obs[2] - 4.0 * obs[1]], -2, 2).astype(np.float32)
            obs, *_ = env.step(act)
            s.append(obs), a.append(act)
        states.append(s), actions.append(a)
    return Demonstrations.from_rollouts({"states": np.array(states, np.float32),
                                         "actions": np.array(actions, np.float32)})


PPO_SETTINGS = dict(n_steps=64, n_minibatches=2, update_epochs=2, hidden=(16, 16))


@pytest.mark.parametrize("kind", ["gail", "airl", "gan_gcl"])
def test_ppo_generator_smoke(kind):
    from irlbook.deep.ppo import PPO, make_vector_env

    envs = make_vector_env("Pendulum-v1", 2)
    res = fit(envs, pendulum_demos(), method=kind, generator="ppo", n_iterations=3, disc_steps=2, disc_batch=16,
              disc_hidden=(16, 16), ppo_kwargs=PPO_SETTINGS, device="cpu")
    assert isinstance(res.policy, PPO) and res.policy.step == 3 * 64 * 2
    assert len(res.history["disc_loss"]) == 3 and np.all(np.isfinite(res.history["disc_loss"]))
    assert np.all((0 < res.history["policy_prob"]) & (res.history["policy_prob"] < 1))
    assert res.reward(torch.zeros(4, 3), torch.zeros(4, 1), torch.zeros(4, 3)).shape == (4,)
    assert np.isfinite(evaluate(res.policy, gym.make("Pendulum-v1"), 1))


@pytest.mark.gpu
@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA")
@pytest.mark.parametrize("kind", ["gail", "airl", "gan_gcl"])
def test_ppo_generator_on_gpu(kind):
    from irlbook.deep.ppo import make_vector_env

    runs = []
    for _ in range(2):
        envs = make_vector_env("Pendulum-v1", 2)
        runs.append(fit(envs, pendulum_demos(), method=kind, generator="ppo", n_iterations=3, disc_steps=2,
                        disc_batch=16, disc_hidden=(16, 16), ppo_kwargs=PPO_SETTINGS, device="cuda", seed=0))
    res = runs[0]
    assert next(res.discriminator.parameters()).is_cuda and next(res.policy.actor.parameters()).is_cuda
    np.testing.assert_array_equal(res.history["disc_loss"], runs[1].history["disc_loss"])
    assert np.all(np.isfinite(res.history["disc_loss"]))
    assert np.isfinite(evaluate(res.policy, gym.make("Pendulum-v1"), 1))


def test_ppo_generator_defaults_and_validation():
    assert AdversarialConfig(method="gail", generator="ppo").generator_reward_kind == "minus_log_one_minus_d"
    assert AdversarialConfig(method="airl", generator="ppo").generator_reward_kind == "logit"
    assert AdversarialConfig(method="airl").generator_reward_kind == "f"      # SAC keeps its default
    with pytest.raises(ValueError, match="generator"):
        AdversarialConfig(generator="trpo")
    with pytest.raises(ValueError, match="checkpoint"):
        AdversarialConfig(checkpoint="x.pt")                                   # SAC does not checkpoint
    with pytest.raises(ValueError, match="generator_reward_kind"):
        AdversarialConfig(method="gail", generator_reward_kind="minus_log_one_minus_d")


def test_ppo_generator_resumes_bit_identically(tmp_path):
    from irlbook.deep.ppo import make_vector_env

    demos = pendulum_demos()
    settings = dict(method="airl", generator="ppo", disc_steps=2, disc_batch=16, disc_hidden=(16, 16),
                    ppo_kwargs={**PPO_SETTINGS, "total_steps": 4 * 128}, device="cpu")
    straight = fit(make_vector_env("Pendulum-v1", 2), demos, n_iterations=4, **settings)
    path = tmp_path / "airl.pt"
    fit(make_vector_env("Pendulum-v1", 2), demos, n_iterations=2, checkpoint=path, **settings)
    resumed = fit(make_vector_env("Pendulum-v1", 2), demos, n_iterations=4, checkpoint=path, **settings)
    for a, b in zip(straight.discriminator.parameters(), resumed.discriminator.parameters(), strict=True):
        assert torch.equal(a, b)
    for a, b in zip(straight.policy.actor.parameters(), resumed.policy.actor.parameters(), strict=True):
        assert torch.equal(a, b)
    np.testing.assert_array_equal(straight.history["disc_loss"], resumed.history["disc_loss"])


def test_bc_epochs_start_the_ppo_generator_from_the_cloned_policy(tmp_path):
    """With ``bc_epochs`` the generator starts from behavioural cloning on the demonstrations: after one
    iteration it gives the expert's actions a far higher likelihood than a generator started from scratch; a run
    resumed from its checkpoint does not clone again (it continues bit-identically)."""
    from irlbook.deep.ppo import make_vector_env

    demos = pendulum_demos()
    expert = demos.transitions()
    settings = dict(method="gail", generator="ppo", n_iterations=1, disc_steps=1, disc_batch=16,
                    disc_hidden=(16, 16), ppo_kwargs={**PPO_SETTINGS, "total_steps": 2 * 128}, device="cpu")

    def loglik(res):
        with torch.no_grad():
            return float(res.policy.log_prob(expert["obs"], expert["actions"]).mean())

    scratch = fit(make_vector_env("Pendulum-v1", 2), demos, **settings)
    cloned = fit(make_vector_env("Pendulum-v1", 2), demos, bc_epochs=300, **settings)
    assert loglik(cloned) > loglik(scratch) + 1.0, (loglik(cloned), loglik(scratch))
    straight = fit(make_vector_env("Pendulum-v1", 2), demos, bc_epochs=300, **{**settings, "n_iterations": 2})
    path = tmp_path / "gail.pt"
    fit(make_vector_env("Pendulum-v1", 2), demos, bc_epochs=300, checkpoint=path, **settings)
    resumed = fit(make_vector_env("Pendulum-v1", 2), demos, bc_epochs=300, checkpoint=path,
                  **{**settings, "n_iterations": 2})
    for a, b in zip(straight.policy.actor.parameters(), resumed.policy.actor.parameters(), strict=True):
        assert torch.equal(a, b)
    with pytest.raises(ValueError, match="bc_epochs"):
        AdversarialConfig(bc_epochs=5)                                          # SAC: no cloned start
    with pytest.raises(ValueError, match="bc_epochs"):
        AdversarialConfig(generator="ppo", bc_epochs=-1)


@pytest.mark.parametrize("kind", ["gail", "airl", "gan_gcl"])
def test_normalised_observations_are_what_the_networks_see(kind):
    obs, act, nxt = batch()
    mean, std = torch.tensor([1.0, -2.0, 0.5]), torch.tensor([2.0, 0.5, 4.0])
    plain = Discriminator(kind, 3, 2, seed=3)
    normed = Discriminator(kind, 3, 2, seed=3).normalise_observations(mean, std)
    # the same networks on standardised inputs: identical outputs
    z, z_next = (obs - mean) / std, (nxt - mean) / std
    torch.testing.assert_close(normed.f(obs, act, nxt), plain.f(z, act, z_next))
    torch.testing.assert_close(normed.learned_reward(obs, act, nxt), plain.learned_reward(z, act, z_next))
    # the statistics travel with the state dict, so a checkpoint restores the same reward
    copy_ = Discriminator(kind, 3, 2, seed=0).normalise_observations(torch.zeros(3), torch.ones(3))
    copy_.load_state_dict(normed.state_dict())
    torch.testing.assert_close(copy_.f(obs, act, nxt), normed.f(obs, act, nxt))
    with pytest.raises(ValueError, match="shape"):
        Discriminator(kind, 3, 2).normalise_observations(torch.zeros(2), torch.ones(2))
    with pytest.raises(ValueError, match="std"):
        Discriminator(kind, 3, 2).normalise_observations(torch.zeros(3), torch.tensor([1.0, float("nan"), 1.0]))


def test_normalise_obs_uses_the_demonstrations_statistics():
    from irlbook.deep.ppo import make_vector_env

    demos = pendulum_demos()
    expert_obs = demos.transitions()["obs"]
    res = fit(make_vector_env("Pendulum-v1", 2), demos, method="airl", generator="ppo", n_iterations=1,
              disc_steps=1, disc_batch=16, disc_hidden=(16, 16), ppo_kwargs=PPO_SETTINGS, device="cpu",
              normalise_obs=True)
    np.testing.assert_allclose(res.discriminator.obs_mean.numpy(), expert_obs.mean(0), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(res.discriminator.obs_std.numpy(), np.maximum(expert_obs.std(0), 1e-3), rtol=1e-5)
    assert not hasattr(fit(make_vector_env("Pendulum-v1", 2), demos, method="airl", generator="ppo", n_iterations=1,
                           disc_steps=1, disc_batch=16, disc_hidden=(16, 16), ppo_kwargs=PPO_SETTINGS,
                           device="cpu").discriminator, "obs_mean")
    with pytest.raises(ValueError, match="normalise_obs"):
        AdversarialConfig(normalise_obs="yes")


def test_policy_reservoir_keeps_a_uniform_sample_of_everything_added():
    from irlbook.deep.adversarial import _Reservoir

    rng = np.random.default_rng(0)
    counts = np.zeros(100)
    for _ in range(400):
        reservoir = _Reservoir(10)
        for start in range(0, 100, 25):                       # four batches of 25 numbered transitions
            reservoir.add({"obs": np.arange(start, start + 25, dtype=np.float32)[:, None]}, rng)
        kept = reservoir.data["obs"][:, 0].astype(int)
        assert reservoir.size == 10 and len(set(kept)) == 10   # ten distinct transitions
        counts[kept] += 1
    # each transition is kept with probability 10/100: 40 times in 400 trials, whichever batch it came from
    assert abs(counts[:25].mean() - 40) < 6 and abs(counts[75:].mean() - 40) < 6
    assert counts.sum() == 4000
    small = _Reservoir(10)
    small.add({"obs": np.ones((3, 2), np.float32)}, rng)
    assert small.size == 3 and small.sample(5, rng)["obs"].shape == (5, 2)
    restored = _Reservoir(10)
    restored.load_state_dict(small.state_dict())
    assert restored.seen == 3 and np.array_equal(restored.data["obs"], small.data["obs"])
    with pytest.raises(ValueError, match="policy_replay"):
        _Reservoir(20).load_state_dict(small.state_dict())


def test_ppo_generator_with_policy_replay_resumes_bit_identically(tmp_path):
    from irlbook.deep.ppo import make_vector_env

    demos = pendulum_demos()
    settings = dict(method="airl", generator="ppo", disc_steps=2, disc_batch=16, disc_hidden=(16, 16),
                    policy_replay=200, ppo_kwargs={**PPO_SETTINGS, "total_steps": 4 * 128}, device="cpu")
    straight = fit(make_vector_env("Pendulum-v1", 2), demos, n_iterations=4, **settings)
    path = tmp_path / "airl.pt"
    fit(make_vector_env("Pendulum-v1", 2), demos, n_iterations=4, checkpoint=path, time_limit=0, **settings)
    assert torch.load(path, weights_only=False)["replay"]["seen"] == 128       # stopped after one iteration
    resumed = fit(make_vector_env("Pendulum-v1", 2), demos, n_iterations=4, checkpoint=path, **settings)
    for a, b in zip(straight.discriminator.parameters(), resumed.discriminator.parameters(), strict=True):
        assert torch.equal(a, b)
    np.testing.assert_array_equal(straight.history["disc_loss"], resumed.history["disc_loss"])
    # the finished run's file keeps no replay, and reading it back gives the finished run
    assert torch.load(path, weights_only=False)["replay"] is None
    again = fit(make_vector_env("Pendulum-v1", 2), demos, n_iterations=4, checkpoint=path, **settings)
    np.testing.assert_array_equal(again.history["disc_loss"], straight.history["disc_loss"])
    # the replay changes the discriminator's training: not the run without it
    plain = fit(make_vector_env("Pendulum-v1", 2), demos, n_iterations=4, **{**settings, "policy_replay": 0})
    assert not np.array_equal(plain.history["disc_loss"][1:], straight.history["disc_loss"][1:])
    with pytest.raises(ValueError, match="policy_replay"):
        AdversarialConfig(policy_replay=100)                    # SAC keeps its own buffer


def test_entropy_weight_reaches_the_ppo_generator():
    from irlbook.deep.ppo import make_vector_env

    demos = pendulum_demos()
    settings = dict(method="airl", generator="ppo", n_iterations=2, disc_steps=1, disc_batch=16,
                    disc_hidden=(16, 16), ppo_kwargs=PPO_SETTINGS, device="cpu")
    runs = [fit(make_vector_env("Pendulum-v1", 2), demos, entropy_weight=w, **settings) for w in (1.0, 0.1)]
    # the same first batch and discriminator step, then different PPO updates
    assert runs[0].history["disc_loss"][0] == runs[1].history["disc_loss"][0]
    assert not torch.equal(runs[0].policy.log_std, runs[1].policy.log_std)


def test_the_entropy_weight_applies_to_the_logit_reward_of_airl_and_gan_gcl_only():
    """A config's ``entropy_weight`` reaches policy_reward where it has a log-pi term to weigh; elsewhere 1."""
    weight = {(method, kind): AdversarialConfig(method=method, generator="ppo", generator_reward_kind=kind,
                                                entropy_weight=0.1).logit_entropy_weight
              for method in ("airl", "gan_gcl", "gail") for kind in ("logit", "f")}
    assert weight == {("airl", "logit"): 0.1, ("gan_gcl", "logit"): 0.1, ("gail", "logit"): 1.0,
                      ("airl", "f"): 1.0, ("gan_gcl", "f"): 1.0, ("gail", "f"): 1.0}
    assert AdversarialConfig(method="gail", generator="ppo", entropy_weight=0.1).logit_entropy_weight == 1.0
