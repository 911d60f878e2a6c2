"""The shifting maze (chapter 7): walls, layouts, gymnasium registration."""

import gymnasium as gym
import numpy as np
import pytest

from irlbook.envs import ShiftingMaze
from irlbook.envs.grid import cell_coordinates


def successor(maze, row, col, action):
    s = row * maze.size + col
    return divmod(int(maze.mdp.transitions[s, maze.action_names.index(action)].argmax()), maze.size)


def test_wall_blocks_every_crossing_but_the_gap():
    maze = ShiftingMaze(size=7, gap="left")
    w = maze.wall_row
    assert successor(maze, w, 0, "up") == (w - 1, 0)          # the gap
    assert successor(maze, w - 1, 0, "down") == (w, 0)
    for col in range(1, 7):
        assert successor(maze, w, col, "up") == (w, col)      # blocked: stays put
        assert successor(maze, w - 1, col, "down") == (w - 1, col)
    assert successor(maze, w + 1, 3, "up") == (w, 3)          # other moves are free
    assert successor(maze, 2, 3, "right") == (2, 4)
    np.testing.assert_array_equal(maze.mdp.transitions.max(-1), 1.0)  # deterministic


def test_shifted_layout_moves_the_gap_only():
    left = ShiftingMaze(size=7, gap="left")
    right = left.shifted()
    assert right.gap == "right" and right.mdp.n_states == left.mdp.n_states
    np.testing.assert_array_equal(left.reward, right.reward)
    differ = np.any(left.mdp.transitions != right.mdp.transitions, axis=-1)   # [S, A]
    rows, cols = cell_coordinates(7)[np.nonzero(differ)[0]].T
    assert set(rows) == {left.wall_row - 1, left.wall_row} and set(cols) == {0, 6}
    assert left.reward.argmax() == left.goal[0] * 7 + left.goal[1]


def test_gymnasium_registration_and_bad_input():
    env = gym.make("irlbook/ShiftingMaze-v0", size=5, gap="right", horizon=6)
    maze = env.unwrapped.world
    assert (maze.size, maze.gap, maze.mdp.horizon) == (5, "right", 6)
    env.action_space.seed(0)
    state, _ = env.reset(seed=0)
    total, expected, steps, done = 0.0, 0.0, 0, False
    while not done:
        action = env.action_space.sample()
        next_state, reward, terminated, truncated, _ = env.step(action)
        assert maze.mdp.transitions[state, action, next_state] > 0       # only moves the maze allows
        total, expected = total + reward, expected + maze.reward[state]
        state, steps, done = next_state, steps + 1, terminated or truncated
    assert steps == 6 and total == expected
    with pytest.raises(ValueError, match="gap"):
        ShiftingMaze(gap="middle")
    with pytest.raises(ValueError, match="wall_row"):
        ShiftingMaze(size=5, wall_row=5)
    with pytest.raises(ValueError, match="initial"):
        ShiftingMaze(initial="top")
