"""A gymnasium environment around any TabularMDP plus a reward."""

from __future__ import annotations

import gymnasium as gym
import numpy as np

from ..core.mdp import TabularMDP, check_mdp
from ..validation import check_int, check_reward


class TabularEnv(gym.Env):
    """Episodes of ``mdp.horizon`` steps; observations and actions are integers.

    ``reward`` is [S] or [S, A]; ``step`` returns ``r(s_t, a_t)`` and truncates at the horizon.
    """

    metadata = {"render_modes": []}

    def __init__(self, mdp: TabularMDP, reward):
        self.mdp = check_mdp(mdp)
        self.reward_table = check_reward(mdp, reward)
        self.observation_space = gym.spaces.Discrete(mdp.n_states)
        self.action_space = gym.spaces.Discrete(mdp.n_actions)
        self._state = 0
        self._t = 0

    def reset(self, *, seed=None, options=None):
        super().reset(seed=seed)
        self._state = int(self.np_random.choice(self.mdp.n_states, p=self.mdp.initial))
        self._t = 0
        return self._state, {}

    def step(self, action):
        action = check_int(action, "action", 0, self.mdp.n_actions - 1)
        reward = float(self.reward_table[self._state, action])
        self._state = int(self.mdp.sample_next(np.array([self._state]), np.array([action]), self.np_random)[0])
        self._t += 1
        return self._state, reward, False, self._t >= self.mdp.horizon, {}


def make_gridworld_env(**kwargs) -> TabularEnv:
    """``gymnasium.make("irlbook/GridWorld-v0", **GridWorld kwargs)``."""
    from .gridworld import GridWorld

    world = GridWorld(**kwargs)
    env = TabularEnv(world.mdp, world.reward)
    env.world = world
    return env


def make_objectworld_env(**kwargs) -> TabularEnv:
    """``gymnasium.make("irlbook/ObjectWorld-v0", **ObjectWorld kwargs)``."""
    from .objectworld import ObjectWorld

    world = ObjectWorld(**kwargs)
    env = TabularEnv(world.mdp, world.reward)
    env.world = world
    return env


def make_shifting_maze_env(**kwargs) -> TabularEnv:
    """``gymnasium.make("irlbook/ShiftingMaze-v0", **ShiftingMaze kwargs)``."""
    from .maze import ShiftingMaze

    world = ShiftingMaze(**kwargs)
    env = TabularEnv(world.mdp, world.reward)
    env.world = world
    return env
