"""Chapter 6 torch code on CUDA (skipped without a GPU)."""

import numpy as np
import pytest
import torch

from irlbook.core.demonstrations import Demonstrations
from irlbook.deep.gcl import GCLConfig, gcl, gcl_loss
from irlbook.deep.sac import SAC
from irlbook.envs import PointMassEnv

pytestmark = [pytest.mark.gpu,
              pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA")]


@pytest.mark.parametrize("discrete", [False, True])
def test_sac_updates_on_cuda(discrete):
    env = PointMassEnv(horizon=10, discrete=discrete)
    agent = SAC(env.observation_space, env.action_space, device="cuda", seed=0)
    assert next(agent.actor.parameters()).is_cuda
    agent.rollout(env, 3, seed=0, random_actions=True)
    losses = agent.update_many(5)
    assert np.all(np.isfinite(losses))
    obs = np.zeros((4, 2), dtype=np.float32)
    actions = np.zeros(4, dtype=np.int64) if discrete else np.zeros((4, 2), dtype=np.float32)
    log_p = agent.log_prob(obs, actions)
    assert log_p.is_cuda and log_p.shape == (4,)


def test_gcl_loss_gradient_matches_cpu():
    rng = np.random.default_rng(0)
    demo, back, log_q = rng.normal(size=5), rng.normal(size=12), rng.normal(size=12)
    grads = []
    for device in ("cpu", "cuda"):
        d = torch.tensor(demo, device=device, requires_grad=True)
        b = torch.tensor(back, device=device, requires_grad=True)
        loss, _ = gcl_loss(d, b, torch.tensor(log_q, device=device))
        loss.backward()
        grads.append(np.concatenate([d.grad.cpu().numpy(), b.grad.cpu().numpy()]))
    np.testing.assert_allclose(grads[0], grads[1], rtol=1e-10)


def test_gcl_runs_on_cuda():
    env = PointMassEnv(horizon=10, starts=[[-0.5, -0.5], [0.0, 0.0]])
    expert = SAC(env.observation_space, env.action_space, device="cuda", seed=0)
    demos = expert.rollout(env, 6, seed=0, store=False)
    config = GCLConfig(n_iterations=2, episodes_per_iteration=2, policy_updates_per_iteration=5,
                       reward_steps_per_iteration=3, condition_on_start=True, device="cuda", seed=0)
    state = torch.get_rng_state(), torch.cuda.get_rng_state()
    result = gcl(env, Demonstrations.from_rollouts(demos), config)
    assert torch.equal(state[0], torch.get_rng_state()) and torch.equal(state[1], torch.cuda.get_rng_state())
    again = gcl(env, Demonstrations.from_rollouts(demos), config)
    np.testing.assert_array_equal(result.history["loss"], again.history["loss"])
    assert next(result.reward_net.parameters()).is_cuda and result.policy.device.type == "cuda"
    assert all(np.all(np.isfinite(v)) for v in result.history.values())
