"""Tests for deep MaxEnt IRL and the torch planner (chapter 4)."""

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from irlbook import TabularMDP, sample_trajectories, soft_value_iteration, state_visitation  # noqa: E402
from irlbook.core.demonstrations import Demonstrations  # noqa: E402
from irlbook.core.result import IRLResult  # noqa: E402
from irlbook.deep import planning  # noqa: E402
from irlbook.deep.deep_maxent import deep_maxent, expert_state_counts  # noqa: E402
from irlbook.deep.planning import to_torch  # noqa: E402
from irlbook.envs import GridWorld, ObjectWorld  # noqa: E402
from tests.helpers import random_mdp  # noqa: E402


@pytest.mark.parametrize("sparse", [False, True])
def test_torch_planner_matches_numpy(sparse):
    mdp = GridWorld(size=8, macrocells=2, horizon=7, discount=0.9).mdp
    reward = np.random.default_rng(0).normal(size=(64, 4))
    plan = soft_value_iteration(mdp, reward)
    tmdp = to_torch(mdp, device="cpu", sparse=sparse)
    assert to_torch(mdp, device="cpu", sparse=sparse) is tmdp          # converted once
    torch_plan = planning.soft_value_iteration(tmdp, torch.as_tensor(reward))
    np.testing.assert_allclose(torch_plan.v.numpy(), plan.v, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(torch_plan.q.numpy(), plan.q, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(torch_plan.policy.numpy(), plan.policy, atol=1e-12)
    D = planning.state_visitation(tmdp, torch_plan.policy).numpy()
    np.testing.assert_allclose(D, state_visitation(mdp, plan.policy), atol=1e-12)


@pytest.mark.parametrize("sparse", [False, True])
@pytest.mark.parametrize("causal,temperature", [(True, 0.3), (False, 1.0), (False, 2.5)])
def test_torch_planner_matches_numpy_noncausal_and_temperature(sparse, causal, temperature):
    """The same signature as the numpy planner: a TabularMDP and arrays in, the same q, v, policy out."""
    rng = np.random.default_rng(3)
    P = rng.random((6, 3, 6)) ** 3
    P /= P.sum(-1, keepdims=True)
    mdp = TabularMDP(P, np.full(6, 1 / 6), 5, 1.0)
    reward = 10 * rng.normal(size=(6, 3))
    terminal = rng.normal(size=6)
    plan = soft_value_iteration(mdp, reward, temperature=temperature, causal=causal, terminal_value=terminal)
    tmdp = to_torch(mdp, device="cpu", sparse=sparse)
    torch_plan = planning.soft_value_iteration(tmdp, reward, temperature=temperature, causal=causal,
                                               terminal_value=terminal)
    for name in ("q", "v", "policy"):
        np.testing.assert_allclose(getattr(torch_plan, name).numpy(), getattr(plan, name), rtol=1e-10, atol=1e-10)
    from_mdp = planning.soft_value_iteration(mdp, torch.as_tensor(reward), temperature=temperature, causal=causal,
                                             terminal_value=terminal)
    np.testing.assert_allclose(from_mdp.v.numpy(), plan.v, rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(planning.state_visitation(mdp, plan.policy).numpy(),
                               state_visitation(mdp, plan.policy), atol=1e-12)


def test_torch_planner_bad_input():
    mdp = TabularMDP(np.full((3, 2, 3), 1 / 3), np.full(3, 1 / 3), 4, 0.9)
    with pytest.raises(ValueError, match="reward"):
        planning.soft_value_iteration(mdp, np.zeros(4))
    with pytest.raises(ValueError, match="reward"):
        planning.soft_value_iteration(mdp, np.array([0.0, np.nan, 0.0]))
    with pytest.raises(ValueError, match="temperature"):
        planning.soft_value_iteration(mdp, np.zeros(3), temperature=0.0)
    with pytest.raises(ValueError, match="discount"):
        planning.soft_value_iteration(mdp, np.zeros(3), causal=False)
    with pytest.raises(ValueError, match="policy"):
        planning.state_visitation(mdp, np.zeros((4, 3, 3)))


def test_reward_gradient_is_visitation_difference():
    """d/dr [p0 . V_0 - rho_E . r] = rho_model - rho_E, by autograd through soft VI."""
    rng = np.random.default_rng(1)
    mdp = random_mdp(rng, S=5, A=2, T=4, discount=0.8, initial="uniform")
    reward = torch.tensor(rng.normal(size=5), requires_grad=True)
    rho_expert = torch.as_tensor(rng.random(5))
    tmdp = to_torch(mdp, device="cpu")
    plan = planning.soft_value_iteration(tmdp, reward)
    (tmdp.initial @ plan.v[0] - rho_expert @ reward).backward()
    rho_model = tmdp.gammas @ planning.state_visitation(tmdp, plan.policy.detach())
    np.testing.assert_allclose(reward.grad.numpy(), (rho_model - rho_expert).numpy(), atol=1e-12)


def test_deep_maxent_reduces_loss_and_feature_gap():
    world = ObjectWorld(size=8, n_objects=10, seed=0)
    expert = soft_value_iteration(world.mdp, 3 * world.reward).policy
    states, _ = sample_trajectories(world.mdp, expert, 64, seed=0)
    state = torch.get_rng_state()
    result = deep_maxent(world.mdp, world.continuous_features, Demonstrations.tabular(states), n_iterations=60,
                         lr=2e-2, seed=0)
    assert torch.equal(state, torch.get_rng_state())
    assert isinstance(result, IRLResult) and all(v.ndim == 1 for v in result.history.values())
    assert result.reward.shape == (64,) and result.policy.shape == (8, 64, 5)
    assert result.history["loss"][-1] < result.history["loss"][0] - 0.1
    assert result.history["feature_gap"][-1] < 0.5 * result.history["feature_gap"][0]
    torch.rand(4)                                               # the caller's draws change nothing
    again = deep_maxent(world.mdp, world.continuous_features, states, n_iterations=60, lr=2e-2, seed=0)
    np.testing.assert_array_equal(result.reward, again.reward)  # seeded


def test_expert_counts_and_bad_input():
    world = ObjectWorld(size=4, n_objects=3, seed=0)
    states = np.array([[0, 1, 2, 3, 4, 5, 6, 7]])
    np.testing.assert_allclose(expert_state_counts(world.mdp, states).sum(), (1 - 0.9 ** 8) / 0.1)
    with pytest.raises(ValueError, match="n_iterations"):
        deep_maxent(world.mdp, world.continuous_features, states, n_iterations=0)
    with pytest.raises(ValueError, match="seed"):
        deep_maxent(world.mdp, world.continuous_features, states, seed=-1)
    with pytest.raises(ValueError, match="hidden"):
        deep_maxent(world.mdp, world.continuous_features, states, hidden=(4, -1))
    with pytest.raises(ValueError, match="features"):
        deep_maxent(world.mdp, np.ones((16, 5, 2)), states)
    with pytest.raises(ValueError, match="demos.states"):
        deep_maxent(world.mdp, world.continuous_features, states[:, :3])


@pytest.mark.gpu
@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA")
def test_torch_planner_on_cuda():
    mdp = GridWorld(size=8, macrocells=2, horizon=5).mdp
    reward = np.random.default_rng(0).normal(size=64)
    tmdp = to_torch(mdp, device="cuda", dtype=torch.float64)
    v0 = planning.soft_value_iteration(tmdp, torch.as_tensor(reward, device="cuda")).v[0]
    np.testing.assert_allclose(v0.cpu().numpy(), soft_value_iteration(mdp, reward).v[0], atol=1e-10)
