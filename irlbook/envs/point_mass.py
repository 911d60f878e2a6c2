"""A 2-D point mass that should reach a goal: fast, inspectable continuous control (chapter 6).

State ``s = (x, y)`` in ``[-1, 1]^2``; action ``a`` in ``[-1, 1]^2`` is a velocity:
``s' = clip(s + step_size * a, -1, 1)``. The true reward is state-only, the negative distance
of the state *reached* to the goal, ``r(s, a, s') = -|s' - goal|``. Episodes have a fixed
length (``horizon`` steps, truncation only, never termination), so every trajectory has
the same number of reward terms: no absorbing-state bias when comparing returns or weights.
Start states are uniform on ``[-1, 1]^2`` by default; ``starts`` (an array [K, 2]) picks one of K
fixed start points uniformly instead, which lets a MaxEnt model be conditioned on the start state.

With ``discrete=True`` the action is one of 5 moves (stay, +x, -x, +y, -y) of length ``step_size``.
"""

from __future__ import annotations

import gymnasium as gym
import numpy as np

from ..validation import (
    as_array,
    as_bounded_array,
    check_bool,
    check_horizon,
    check_int,
    check_last_axis,
    check_positive,
)

DISCRETE_MOVES = np.array([[0.0, 0.0], [1.0, 0.0], [-1.0, 0.0], [0.0, 1.0], [0.0, -1.0]])


def point_mass_reward(positions, goal=(0.5, 0.5)) -> np.ndarray:
    """True reward ``-|s - goal|`` of positions [..., 2] -> [...]."""
    positions = check_last_axis(as_array(positions, "positions"), "positions", 2)
    goal = as_array(goal, "goal", shape=(2,))
    return -np.linalg.norm(positions - goal, axis=-1)


class PointMassEnv(gym.Env):
    """A point mass moving towards a goal in the unit square.

    ``gymnasium.make("irlbook/PointMass-v0", goal=(0.5, 0.5), horizon=30, step_size=0.1, discrete=False,
    starts=None)``.
    """

    metadata = {"render_modes": []}

    def __init__(self, goal=(0.5, 0.5), horizon: int = 30, step_size: float = 0.1, discrete: bool = False,
                 starts=None):
        goal = as_bounded_array(goal, "goal", -1.0, 1.0, what="coordinates outside [-1, 1]", shape=(2,))
        horizon = check_horizon(horizon)
        step_size = check_positive(step_size, "step_size")
        discrete = check_bool(discrete, "discrete")
        if starts is not None:
            starts = as_bounded_array(starts, "starts", -1.0, 1.0, what="coordinates outside [-1, 1]",
                                      shape=(None, 2))
        self.starts = starts
        self.goal, self.horizon, self.step_size, self.discrete = goal, horizon, step_size, discrete
        self.observation_space = gym.spaces.Box(-1.0, 1.0, shape=(2,), dtype=np.float32)
        self.action_space = (gym.spaces.Discrete(len(DISCRETE_MOVES)) if self.discrete
                             else gym.spaces.Box(-1.0, 1.0, shape=(2,), dtype=np.float32))
        self._position = np.zeros(2)
        self._t = 0

    def reset(self, *, seed=None, options=None):
        super().reset(seed=seed)
        if self.starts is None:
            self._position = self.np_random.uniform(-1.0, 1.0, size=2)
        else:
            self._position = self.starts[self.np_random.integers(len(self.starts))].copy()
        self._t = 0
        return self._position.astype(np.float32), {}

    def step(self, action):
        if self.discrete:
            action = check_int(action, "action", 0, len(DISCRETE_MOVES) - 1)
            velocity = DISCRETE_MOVES[action]
        else:
            velocity = as_array(np.reshape(action, -1), "action", shape=(2,))
            velocity = np.clip(velocity, -1.0, 1.0)
        self._position = np.clip(self._position + self.step_size * velocity, -1.0, 1.0)
        self._t += 1
        reward = float(point_mass_reward(self._position, self.goal))
        distance = -reward
        return self._position.astype(np.float32), reward, False, self._t >= self.horizon, {"distance": distance}


def make_point_mass_env(**kwargs) -> PointMassEnv:
    return PointMassEnv(**kwargs)
