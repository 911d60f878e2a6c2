"""The continuous shifting point maze of Fu, Luo & Levine (2018), small enough for a CPU (chapter 7).

A point ``s = (x, y)`` in ``[-1, 1]^2`` starts near ``start`` (bottom) and should reach ``goal`` (top).
A horizontal wall, the band ``|y| <= wall_half_width``, lies between them with a gap of width
``gap_width`` on one side: on the left (``layout="left"``, the training layout) or on the right
(``layout="right"``, the shifted, test layout). The action ``a`` in ``[-1, 1]^2`` is a velocity:
the point moves to ``clip(s + step_size * a, -1, 1)`` unless the straight move enters the wall,
in which case it stops at the last free point of the move (checked at ``N_SUBSTEPS`` points).
The true reward is state-only, as in Fu et al.: the negative distance of the state reached to
the goal, ``r(s, a, s') = -|s' - goal|``. Episodes have a fixed length (``horizon``; truncation,
never termination).

The distance reward has a trap: straight up from the start the point is stuck under the wall;
the return is high only for a policy that goes round through the gap.
"""

from __future__ import annotations

import gymnasium as gym
import numpy as np

from ..validation import (
    as_array,
    as_bounded_array,
    check_choice,
    check_horizon,
    check_instance,
    check_last_axis,
    check_nonnegative,
    check_nonnegative_int,
    check_positive,
    check_positive_int,
    check_real,
)

LAYOUTS = ("left", "right")
N_SUBSTEPS = 8


def in_wall(positions, layout: str, wall_half_width: float = 0.1, gap_width: float = 0.5) -> np.ndarray:
    """Whether positions [..., 2] lie inside the wall of ``layout`` -> bool [...]."""
    layout = check_choice(layout, "layout", LAYOUTS)
    positions = check_last_axis(as_array(positions, "positions"), "positions", 2)
    x, y = positions[..., 0], positions[..., 1]
    in_band = np.abs(y) <= wall_half_width
    blocked_x = x > -1 + gap_width if layout == "left" else x < 1 - gap_width
    return in_band & blocked_x


class PointMazeEnv(gym.Env):
    """``gymnasium.make("irlbook/PointMaze-v0", layout="left", horizon=25, step_size=0.15, ...)``.

    Parameters: ``layout`` "left" (gap on the left) or "right"; ``horizon`` steps; ``step_size``
    (largest move per axis); ``start`` and ``goal`` points; ``start_noise`` (starts are uniform in a
    square of this half-width around ``start``); ``wall_half_width``; ``gap_width``.
    """

    metadata = {"render_modes": []}

    def __init__(self, layout: str = "left", horizon: int = 25, step_size: float = 0.15, start=(0.0, -0.7),
                 goal=(0.0, 0.7), start_noise: float = 0.05, wall_half_width: float = 0.1, gap_width: float = 0.5):
        layout = check_choice(layout, "layout", LAYOUTS)
        horizon = check_horizon(horizon)
        step_size = check_positive(step_size, "step_size")
        start_noise = check_nonnegative(start_noise, "start_noise")
        wall_half_width = check_real(wall_half_width, "wall_half_width", 0.0, 1.0, low_open=True, high_open=True)
        gap_width = check_real(gap_width, "gap_width", 0.0, 2.0, low_open=True, high_open=True)
        start = as_bounded_array(start, "start", -1.0, 1.0, what="coordinates outside [-1, 1]", shape=(2,))
        goal = as_bounded_array(goal, "goal", -1.0, 1.0, what="coordinates outside [-1, 1]", shape=(2,))
        for name, point in (("start", start), ("goal", goal)):
            if in_wall(point, layout, wall_half_width, gap_width):
                raise ValueError(f"{name} must lie outside the wall, got {point}")
        self.layout, self.horizon, self.step_size = layout, int(horizon), float(step_size)
        self.start, self.goal, self.start_noise = start, goal, float(start_noise)
        self.wall_half_width, self.gap_width = float(wall_half_width), float(gap_width)
        self.observation_space = gym.spaces.Box(-1.0, 1.0, shape=(2,), dtype=np.float32)
        self.action_space = gym.spaces.Box(-1.0, 1.0, shape=(2,), dtype=np.float32)
        self._position, self._t = start.copy(), 0

    def reward(self, positions) -> np.ndarray:
        """True reward ``-|s' - goal|`` of reached positions [..., 2] -> [...]."""
        positions = check_last_axis(as_array(positions, "positions"), "positions", 2)
        return -np.linalg.norm(positions - self.goal, axis=-1)

    def move(self, position, velocity) -> np.ndarray:
        """The position [2] reached from ``position`` [2] with ``velocity`` [2] (wall collisions included)."""
        target = np.clip(position + self.step_size * np.clip(velocity, -1.0, 1.0), -1.0, 1.0)
        fractions = np.linspace(0.0, 1.0, N_SUBSTEPS + 1)[1:, None]
        path = position + fractions * (target - position)                           # [N_SUBSTEPS, 2]
        hits = in_wall(path, self.layout, self.wall_half_width, self.gap_width)
        if not hits.any():
            return target
        first = int(np.argmax(hits))
        return position.copy() if first == 0 else path[first - 1]

    def draw(self, ax, color: str = "0.3"):
        """Draw the square, the wall (grey), the start (circle) and the goal (star) on matplotlib ``ax``."""
        from matplotlib.patches import Rectangle

        x0 = -1 + self.gap_width if self.layout == "left" else -1.0
        ax.add_patch(Rectangle((x0, -self.wall_half_width), 2 - self.gap_width, 2 * self.wall_half_width,
                               color=color))
        ax.plot(*self.start, "o", color="tab:green", ms=8)
        ax.plot(*self.goal, "*", color="tab:red", ms=14)
        ax.set_xlim(-1, 1)
        ax.set_ylim(-1, 1)
        ax.set_aspect("equal")

    def reset(self, *, seed=None, options=None):
        super().reset(seed=seed)
        self._position = np.clip(self.start + self.np_random.uniform(-1, 1, size=2) * self.start_noise, -1, 1)
        self._t = 0
        return self._position.astype(np.float32), {}

    def step(self, action):
        velocity = as_array(np.reshape(action, -1), "action", shape=(2,))
        self._position = self.move(self._position, velocity)
        self._t += 1
        reward = float(self.reward(self._position))
        return self._position.astype(np.float32), reward, False, self._t >= self.horizon, {"distance": -reward}


def scripted_maze_action(env: PointMazeEnv, position, rng: np.random.Generator, noise: float = 0.1) -> np.ndarray:
    """A scripted expert's action [2]: head for the gap (below, then above the wall), then the goal.

    Waypoint controller plus Gaussian noise of scale ``noise``, clipped to ``[-0.95, 0.95]`` (kept
    off the bounds so a tanh-Gaussian policy gives every expert action a finite density).
    """
    check_instance(env, PointMazeEnv, "env")
    position = as_array(position, "position", shape=(2,))
    noise = check_nonnegative(noise, "noise")
    gap_x = -1 + env.gap_width / 2 if env.layout == "left" else 1 - env.gap_width / 2
    below, above = np.array([gap_x, -env.wall_half_width - 0.1]), np.array([gap_x, env.wall_half_width + 0.1])
    in_gap_column = abs(position[0] - gap_x) < env.gap_width / 2 - 0.05
    if position[1] > env.wall_half_width:
        waypoint = env.goal
    elif in_gap_column:
        waypoint = above
    else:
        waypoint = below
    action = (waypoint - position) / env.step_size
    action = action / max(1.0, np.abs(action).max())
    return np.clip(action + noise * rng.standard_normal(2), -0.95, 0.95).astype(np.float32)


def scripted_maze_demos(env: PointMazeEnv, n: int, seed: int = 0, noise: float = 0.1) -> dict:
    """``n`` episodes of :func:`scripted_maze_action`: ``states`` [n, T+1, 2], ``actions`` [n, T, 2],
    ``returns`` [n]."""
    check_instance(env, PointMazeEnv, "env")
    n = check_positive_int(n, "n")
    seed = check_nonnegative_int(seed, "seed")        # episode e resets with seed + e
    noise = check_nonnegative(noise, "noise")
    rng = np.random.default_rng(seed)
    all_states, all_actions, returns = [], [], []
    for e in range(n):
        obs, _ = env.reset(seed=seed + e)
        states, actions, total, done = [obs], [], 0.0, False
        while not done:
            action = scripted_maze_action(env, obs, rng, noise)
            obs, reward, terminated, truncated, _ = env.step(action)
            states.append(obs)
            actions.append(action)
            total += reward
            done = terminated or truncated
        all_states.append(np.asarray(states, dtype=np.float32))
        all_actions.append(np.asarray(actions, dtype=np.float32))
        returns.append(total)
    return {"states": np.stack(all_states), "actions": np.stack(all_actions), "returns": np.asarray(returns)}


def make_point_maze_env(**kwargs) -> PointMazeEnv:
    return PointMazeEnv(**kwargs)
