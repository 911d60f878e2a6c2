"""Gridworld, Objectworld and their gymnasium registrations."""

import gymnasium as gym
import numpy as np
import pytest

import irlbook
from irlbook.envs import GridWorld, ObjectWorld, TabularEnv, grid_successors, macrocell_features


def test_grid_successors_are_distributions_and_move_as_named():
    next_states, probs = grid_successors(3, np.array([(-1, 0), (0, 1), (1, 0), (0, -1)]), noise=0.2)
    assert next_states.shape == probs.shape == (9, 4, 4)
    np.testing.assert_allclose(probs.sum(axis=-1), 1.0)
    centre = 4  # (1, 1)
    assert list(next_states[centre, 0]) == [1, 5, 7, 3]  # up, right, down, left
    # The intended move keeps 1 - noise + noise / A.
    assert probs[centre, 1, 1] == pytest.approx(0.8 + 0.05)
    # Walls: moving up from the top-left corner stays put.
    assert next_states[0, 0, 0] == 0


def test_macrocell_features_partition_the_grid():
    f = macrocell_features(8, 2)
    assert f.shape == (64, 4)
    np.testing.assert_array_equal(f.sum(axis=1), 1.0)
    np.testing.assert_array_equal(f.sum(axis=0), 16.0)


def test_gridworld_reward_is_linear_in_macrocell_features():
    world = GridWorld(size=16, macrocells=4, n_rewarding=3, seed=1)
    assert world.mdp.n_states == 256 and world.mdp.n_actions == 4 and world.mdp.is_sparse
    np.testing.assert_allclose(world.reward, world.features @ world.true_weights)
    assert np.count_nonzero(world.true_weights) == 3
    assert np.abs(world.true_weights).sum() == pytest.approx(1.0)


def test_gridworld_rejects_bad_macrocells():
    with pytest.raises(ValueError, match="macrocells"):
        GridWorld(size=10, macrocells=3)


def test_abbeel_ng_size_builds_sparse():
    world = GridWorld(size=128, macrocells=8, stay_action=True, horizon=5)
    assert world.mdp.n_states == 16384 and world.mdp.n_actions == 5
    assert world.mdp.transition_matrix.nnz <= 16384 * 5 * 5


def test_objectworld_features_and_reward():
    world = ObjectWorld(size=12, n_objects=10, seed=3)
    S = 144
    assert world.continuous_features.shape == (S, 4)
    assert world.discrete_features.shape == (S, 4 * 12)
    assert set(np.unique(world.discrete_features)) <= {0.0, 1.0}
    assert set(np.unique(world.reward)) <= {-1.0, 0.0, 1.0}
    # Object cells are at distance 0 from their own colours.
    for cell, inner, outer in zip(world.object_cells, world.inner_colours, world.outer_colours, strict=True):
        assert world.inner_distance[cell, inner] == 0.0
        assert world.outer_distance[cell, outer] == 0.0
    # 70% success: the intended move of a free interior cell keeps probability 0.7.
    P = world.mdp.transitions
    interior = 5 * 12 + 5
    assert P[interior, 1, interior - 12] == pytest.approx(0.7)


def test_objectworld_reward_matches_its_definition():
    world = ObjectWorld(size=16, n_objects=20, seed=0)
    d0, d1 = world.outer_distance[:, 0], world.outer_distance[:, 1]
    expected = np.where((d0 <= 3) & (d1 <= 2), 1.0, np.where(d0 <= 3, -1.0, 0.0))
    np.testing.assert_array_equal(world.reward, expected)


@pytest.mark.parametrize("env_id,kwargs", [
    ("irlbook/GridWorld-v0", {"size": 8, "macrocells": 2, "horizon": 6}),
    ("irlbook/ObjectWorld-v0", {"size": 8, "n_objects": 6, "horizon": 6}),
])
def test_registered_envs_run_an_episode(env_id, kwargs):
    """An episode through gymnasium is an episode of the world's MDP: it starts where the initial
    distribution allows, moves only along transitions of positive probability, pays the world's
    reward r(s_t) at each step and is truncated (never terminated) at the horizon."""
    env = gym.make(env_id, **kwargs)
    world = env.unwrapped.world
    mdp = world.mdp
    env.action_space.seed(0)
    state, _ = env.reset(seed=0)
    assert env.observation_space.contains(state) and mdp.initial[state] > 0
    steps, truncated = 0, False
    while not truncated:
        action = env.action_space.sample()
        next_state, reward, terminated, truncated, _ = env.step(action)
        assert not terminated and reward == world.reward[state]
        assert mdp.transitions[state, action, next_state] > 0
        state, steps = next_state, steps + 1
    assert steps == mdp.horizon == 6


def test_tabular_env_follows_the_mdp_dynamics():
    """Empirical next-state frequencies from env.step match P(s'|s,a)."""
    world = GridWorld(size=4, macrocells=2, noise=0.4, horizon=2)
    env = TabularEnv(world.mdp, world.reward)
    counts = np.zeros(16)
    rng_seed = 0
    for i in range(4000):
        env.reset(seed=rng_seed + i)
        env._state = 5
        next_state, *_ = env.step(1)
        counts[next_state] += 1
    np.testing.assert_allclose(counts / counts.sum(), world.mdp.transitions[5, 1], atol=0.03)


def test_tabular_env_rejects_bad_action():
    world = GridWorld(size=4, macrocells=2)
    env = TabularEnv(world.mdp, world.reward)
    env.reset(seed=0)
    with pytest.raises(ValueError, match="action"):
        env.step(7)


def test_sampled_trajectories_follow_the_visitation():
    world = GridWorld(size=6, macrocells=3, noise=0.3, horizon=5, seed=2)
    plan = irlbook.soft_value_iteration(world.mdp, 5 * world.reward)
    D = irlbook.state_visitation(world.mdp, plan.policy)
    states, _ = irlbook.sample_trajectories(world.mdp, plan.policy, 20000, seed=0)
    empirical = np.stack([np.bincount(states[:, t], minlength=36) / 20000 for t in range(5)])
    np.testing.assert_allclose(empirical, D, atol=0.015)
