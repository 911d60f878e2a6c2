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

DISCRETE_MOVES = np.array([[0.0, 0.0], [1.0, 0.0], [-1.0, 0.0], [0.0, 1.0], [0.0, -1.0]])


def point_mass_reward(positions, goal=(0.5, 0.5)) -> np.ndarray:
    """True reward ``-|s - goal|`` of positions [..., 2] -> [...]."""
    positions = np.asarray(positions, dtype=np.float64)
    if positions.shape[-1] != 2:
        raise ValueError(f"positions must have shape [..., 2], got {positions.shape}")
    return -np.linalg.norm(positions - np.asarray(goal, dtype=np.float64), axis=-1)


class PointMassEnv(gym.Env):
    """``gymnasium.make("irlbook/PointMass-v0", goal=(0.5, 0.5), horizon=30, step_size=0.1, discrete=False, starts=None)``."""

    metadata = {"render_modes": []}

    def __init__(self, goal=(0.5, 0.5), horizon: int = 30, step_size: float = 0.1, discrete: bool = False,
                 starts=None):
        goal = np.asarray(goal, dtype=np.float64)
        if goal.shape != (2,) or not np.all(np.abs(goal) <= 1):
            raise ValueError(f"goal must be a point of [-1, 1]^2, got {goal}")
        if isinstance(horizon, bool) or not isinstance(horizon, (int, np.integer)) or horizon < 1:
            raise ValueError(f"horizon must be a positive integer, got {horizon!r}")
        if not (np.isfinite(step_size) and step_size > 0):
            raise ValueError(f"step_size must be positive, got {step_size}")
        if starts is not None:
            starts = np.asarray(starts, dtype=np.float64)
            if starts.ndim != 2 or starts.shape[1] != 2 or len(starts) == 0 or not np.all(np.abs(starts) <= 1):
                raise ValueError(f"starts must be an array [K, 2] of points of [-1, 1]^2, got {starts}")
        self.starts = starts
        self.goal, self.horizon, self.step_size, self.discrete = goal, int(horizon), float(step_size), bool(discrete)
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
            action = int(action)
            if not 0 <= action < len(DISCRETE_MOVES):
                raise ValueError(f"action must lie in [0, {len(DISCRETE_MOVES)}), got {action}")
            velocity = DISCRETE_MOVES[action]
        else:
            velocity = np.asarray(action, dtype=np.float64).reshape(-1)
            if velocity.shape != (2,) or not np.all(np.isfinite(velocity)):
                raise ValueError(f"action must be a finite array of shape (2,), got {velocity}")
            velocity = np.clip(velocity, -1.0, 1.0)
        self._position = np.clip(self._position + self.step_size * velocity, -1.0, 1.0)
        self._t += 1
        reward = float(point_mass_reward(self._position, self.goal))
        distance = -reward
        return self._position.astype(np.float32), reward, False, self._t >= self.horizon, {"distance": distance}


def make_point_mass_env(**kwargs) -> PointMassEnv:
    return PointMassEnv(**kwargs)
