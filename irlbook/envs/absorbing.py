"""Fixed horizons for environments that terminate: an absorbing state (chapter 7).

Adversarial imitation rewards the policy with the discriminator's logit ``l = log D - log(1 - D)``,
which is negative wherever the policy looks unlike the expert. In an environment that *terminates*
(CartPole-v1 ends when the pole falls) a negative per-step reward makes ending the episode early
attractive, and a positive one (GAIL's ``-log(1 - D) > 0``) makes surviving attractive whatever the
discriminator says: the reward's sign, not the demonstrations, decides. Kostrikov et al. (2019) call
this the absorbing-state bias. Their fix, used here: when the episode terminates, the agent enters an
*absorbing state* and stays there until the horizon. The discriminator sees the absorbing state like any
other. Expert demonstrations that end early are padded with it too, as Kostrikov et al. do (most of the
stored CartPole demonstrations enter it), so the discriminator learns how much time the expert spends there
rather than that the expert is never there. Every episode has the same length ``horizon``, so returns compare
like with like.

:class:`AbsorbingState` appends one flag to the observation (0 in the real environment, 1 in the
absorbing state, whose other entries are 0). The environment's own reward is 0 in the absorbing state,
so true returns are unchanged. The wrapped environment never terminates; it truncates at ``horizon``.
"""

from __future__ import annotations

import gymnasium as gym
import numpy as np

from ..validation import check_instance, check_positive_int


class AbsorbingState(gym.Wrapper):
    """``AbsorbingState(gym.make("CartPole-v1"))``: observations [obs_dim + 1], fixed horizon, no termination.

    ``horizon`` defaults to the environment's ``max_episode_steps`` and may not exceed it (every episode
    must last exactly ``horizon`` steps); the inner environment is not stepped after it terminates.
    """

    def __init__(self, env: gym.Env, horizon: int | None = None):
        super().__init__(env)
        space = env.observation_space
        check_instance(space, gym.spaces.Box, "env.observation_space")
        if len(space.shape) != 1:
            raise ValueError(f"env.observation_space must be a 1-D Box, got {space}")
        limit = getattr(env.spec, "max_episode_steps", None)
        if horizon is None and limit is None:
            raise ValueError("horizon is required when env has no max_episode_steps")
        horizon = check_positive_int(limit if horizon is None else horizon, "horizon")
        if limit is not None and horizon > limit:   # the inner time limit would end some episodes early
            raise ValueError(f"horizon must be at most the env's max_episode_steps = {limit}, got {horizon}")
        self.horizon = horizon
        low = np.append(np.asarray(space.low, np.float32), 0.0).astype(np.float32)
        high = np.append(np.asarray(space.high, np.float32), 1.0).astype(np.float32)
        self.observation_space = gym.spaces.Box(low, high, dtype=np.float32)
        self.absorbing_obs = np.zeros(space.shape[0] + 1, np.float32)
        self.absorbing_obs[-1] = 1.0
        self._t, self._absorbed = 0, False

    def reset(self, **kwargs):
        obs, info = self.env.reset(**kwargs)
        self._t, self._absorbed = 0, False
        return np.append(obs, 0.0).astype(np.float32), info

    def step(self, action):
        self._t += 1
        truncated = self._t >= self.horizon
        if self._absorbed:
            return self.absorbing_obs.copy(), 0.0, False, truncated, {"absorbing": True}
        obs, reward, terminated, inner_truncated, info = self.env.step(action)
        if terminated:
            self._absorbed = True
            return self.absorbing_obs.copy(), float(reward), False, truncated, {**info, "absorbing": True}
        return np.append(obs, 0.0).astype(np.float32), float(reward), False, truncated or inner_truncated, info
