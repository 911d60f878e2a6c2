"""Chapter 6 torch code on CUDA (skipped without a GPU)."""

import numpy as np
import pytest
import torch

from irlbook.deep.gcl import gcl, gcl_loss
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
    result = gcl(env, demos["states"], demos["actions"], n_iters=2, episodes_per_iter=2, policy_updates_per_iter=5,
                 reward_steps_per_iter=3, condition_on_start=True, device="cuda", seed=0)
    assert next(result.reward_net.parameters()).is_cuda
    assert all(np.all(np.isfinite(v)) for v in result.history.values())
