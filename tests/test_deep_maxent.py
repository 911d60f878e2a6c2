"""Tests for deep MaxEnt IRL and the torch planner (chapter 4)."""

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from irlbook import sample_trajectories, soft_value_iteration, state_visitation  # noqa: E402
from irlbook.deep.deep_maxent import (  # noqa: E402
    deep_maxent,
    expert_state_counts,
    to_torch,
    torch_soft_value_iteration,
    torch_state_visitation,
)
from irlbook.envs import GridWorld, ObjectWorld  # noqa: E402
from tests.helpers import random_mdp  # noqa: E402


@pytest.mark.parametrize("sparse", [False, True])
def test_torch_planner_matches_numpy(sparse):
    mdp = GridWorld(size=8, macrocells=2, horizon=7, discount=0.9).mdp
    reward = np.random.default_rng(0).normal(size=(64, 4))
    plan = soft_value_iteration(mdp, reward)
    tmdp = to_torch(mdp, device="cpu", sparse=sparse)
    v0, policy = torch_soft_value_iteration(tmdp, torch.as_tensor(reward))
    np.testing.assert_allclose(v0.numpy(), plan.v[0], rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(policy.numpy(), plan.policy, atol=1e-12)
    D = torch_state_visitation(tmdp, policy).numpy()
    np.testing.assert_allclose(D, state_visitation(mdp, plan.policy), atol=1e-12)


def test_reward_gradient_is_visitation_difference():
    """d/dr [p0 . V_0 - rho_E . r] = rho_model - rho_E, by autograd through soft VI."""
    rng = np.random.default_rng(1)
    mdp = random_mdp(rng, S=5, A=2, T=4, discount=0.8, initial="uniform")
    reward = torch.tensor(rng.normal(size=5), requires_grad=True)
    rho_expert = torch.as_tensor(rng.random(5))
    tmdp = to_torch(mdp, device="cpu")
    v0, policy = torch_soft_value_iteration(tmdp, reward)
    (tmdp.initial @ v0 - rho_expert @ reward).backward()
    rho_model = tmdp.gammas @ torch_state_visitation(tmdp, policy.detach())
    np.testing.assert_allclose(reward.grad.numpy(), (rho_model - rho_expert).numpy(), atol=1e-12)


def test_deep_maxent_reduces_loss_and_feature_gap():
    world = ObjectWorld(size=8, n_objects=10, seed=0)
    expert = soft_value_iteration(world.mdp, 3 * world.reward).policy
    states, _ = sample_trajectories(world.mdp, expert, 64, seed=0)
    result = deep_maxent(world.mdp, world.continuous_features, states, n_iters=60, lr=2e-2, seed=0)
    assert result.reward.shape == (64,) and result.policy.shape == (8, 64, 5)
    assert result.history["loss"][-1] < result.history["loss"][0] - 0.1
    assert result.history["feature_gap"][-1] < 0.5 * result.history["feature_gap"][0]
    again = deep_maxent(world.mdp, world.continuous_features, states, n_iters=60, lr=2e-2, seed=0)
    np.testing.assert_array_equal(result.reward, again.reward)  # seeded


def test_expert_counts_and_bad_input():
    world = ObjectWorld(size=4, n_objects=3, seed=0)
    states = np.array([[0, 1, 2, 3, 4, 5, 6, 7]])
    np.testing.assert_allclose(expert_state_counts(world.mdp, states).sum(), (1 - 0.9 ** 8) / 0.1)
    with pytest.raises(ValueError, match="n_iters"):
        deep_maxent(world.mdp, world.continuous_features, states, n_iters=0)
    with pytest.raises(ValueError, match="features"):
        deep_maxent(world.mdp, np.ones((16, 5, 2)), states)
    with pytest.raises(ValueError, match="demo_states"):
        deep_maxent(world.mdp, world.continuous_features, states[:, :3])


@pytest.mark.gpu
@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA")
def test_torch_planner_on_cuda():
    mdp = GridWorld(size=8, macrocells=2, horizon=5).mdp
    reward = np.random.default_rng(0).normal(size=64)
    tmdp = to_torch(mdp, device="cuda", dtype=torch.float64)
    v0, _ = torch_soft_value_iteration(tmdp, torch.as_tensor(reward, device="cuda"))
    np.testing.assert_allclose(v0.cpu().numpy(), soft_value_iteration(mdp, reward).v[0], atol=1e-10)
