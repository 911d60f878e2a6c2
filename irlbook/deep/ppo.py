"""Proximal policy optimisation (Schulman et al. 2017), one readable file, continuous or discrete actions.

PPO is the on-policy generator of adversarial imitation (Ho & Ermon 2016 and Fu et al. 2018 used its
predecessor TRPO). Each iteration collects ``n_steps`` steps from each of the ``N`` environments of a
``gymnasium.vector`` environment, then takes ``update_epochs`` passes of ``n_minibatches`` Adam steps on

* the clipped surrogate ``-E[min(rho A, clip(rho, 1 - eps, 1 + eps) A)]``, ``rho = pi(a|s) / pi_old(a|s)``
  (:func:`clipped_surrogate`), with advantages ``A`` from GAE(lambda) (:func:`gae`), normalised per minibatch;
* a value loss ``(V(s) - G)^2 / 2`` (optionally clipped around the old value), weighted by ``vf_coef``;
* an entropy bonus ``-ent_coef H(pi(.|s))``;

with the gradient norm clipped at ``max_grad_norm`` and the learning rate annealed linearly to 0 over
``total_steps``. The policy is a Gaussian with a state-independent log-standard deviation for ``Box`` actions
(the sampled action is clipped to the bounds when executed) and a categorical for ``Discrete`` ones.
Observations are normalised by a running mean/std (:class:`RunningMeanStd`) and clipped to ``+-clip_obs``;
rewards are divided by the running standard deviation of the discounted return and clipped to
``+-clip_reward``. Both normalisers belong to the agent and are saved in its checkpoints. A time-limit
truncation bootstraps: ``gamma V(s_T)`` is added to the last reward (termination does not).

``reward_fn(obs, actions, next_obs) -> [B]`` (raw torch tensors; ``actions`` as executed, ``next_obs`` the
true last observation of an episode, not the next reset) replaces the environment's reward, once per
iteration on the whole batch: adversarial imitation hands it the discriminator's reward
(:mod:`irlbook.deep.adversarial`).

Reproducibility: every random draw (initial weights, actions, minibatch order) comes from the agent's
own ``generator`` (torch) and ``rng`` (numpy), seeded with ``seed``; torch's global random state is never
touched. :meth:`PPO.state_dict` holds the networks, the optimiser, the normalisers, both random states,
the step count and the environments' state (their random generators and their simulator state,
:func:`env_state`), so that ``learn(envs, n)`` in one go equals ``learn(envs, n / 2)``, save, load into a
fresh agent and environments, ``learn(envs, n)`` -- bit for bit (tests/test_ppo.py). The device is chosen
at run time (:func:`irlbook.get_device`); the library prints nothing.
"""

from __future__ import annotations

import copy
import time
from dataclasses import dataclass, field
from pathlib import Path

import gymnasium as gym
import numpy as np
import torch
import torch.nn as nn

from ..validation import (
    as_observations,
    check_bool,
    check_discount,
    check_hidden,
    check_instance,
    check_nonnegative,
    check_nonnegative_int,
    check_positive,
    check_positive_int,
    check_probability,
)
from .networks import as_device, mlp


# ---------------------------------------------------------------------------- the pure pieces
def gae(rewards, values, dones, last_value, gamma: float, lam: float):
    """Generalised advantage estimation (Schulman et al. 2016) and the value targets.

    rewards, values, dones [T, N] (``dones[t] = 1`` when the episode ended *at* step t: no bootstrap from
    step t+1); last_value [N] = ``V(s_T)``. ``delta_t = r_t + gamma (1 - done_t) V_{t+1} - V_t``,
    ``A_t = delta_t + gamma lam (1 - done_t) A_{t+1}``. Returns ``(advantages, returns = advantages + values)``,
    [T, N] each (torch tensors).
    """
    gamma, lam = check_discount(gamma, "gamma"), check_probability(lam, "lam")
    rewards, values, dones = (torch.as_tensor(x, dtype=torch.float32) for x in (rewards, values, dones))
    last_value = torch.as_tensor(last_value, dtype=torch.float32, device=values.device)
    if rewards.ndim != 2 or values.shape != rewards.shape or dones.shape != rewards.shape:
        raise ValueError(f"rewards, values and dones must be [T, N] of one shape, got {tuple(rewards.shape)}, "
                         f"{tuple(values.shape)}, {tuple(dones.shape)}")
    if last_value.shape != rewards.shape[1:]:
        raise ValueError(f"last_value must have shape [{rewards.shape[1]}], got {tuple(last_value.shape)}")
    advantages = torch.zeros_like(rewards)
    next_value, next_advantage = last_value, torch.zeros_like(last_value)
    for t in reversed(range(rewards.shape[0])):
        not_done = 1.0 - dones[t]
        delta = rewards[t] + gamma * not_done * next_value - values[t]
        next_advantage = advantages[t] = delta + gamma * lam * not_done * next_advantage
        next_value = values[t]
    return advantages, advantages + values


def clipped_surrogate(log_prob, old_log_prob, advantages, clip: float) -> torch.Tensor:
    """PPO's policy loss ``-mean(min(rho A, clip(rho, 1 - clip, 1 + clip) A))``, ``rho = exp(log_prob - old_log_prob)``.

    All [B]; returns a scalar to minimise."""
    clip = check_positive(clip, "clip")
    if log_prob.shape != old_log_prob.shape or log_prob.shape != advantages.shape:
        raise ValueError(f"log_prob, old_log_prob and advantages must have one shape, got {tuple(log_prob.shape)}, "
                         f"{tuple(old_log_prob.shape)}, {tuple(advantages.shape)}")
    ratio = (log_prob - old_log_prob).exp()
    return -torch.min(ratio * advantages, ratio.clamp(1 - clip, 1 + clip) * advantages).mean()


class RunningMeanStd:
    """Running mean and variance of vectors of shape ``shape`` (float64), merged batch by batch
    (Chan et al.'s parallel update); ``count`` starts at ``epsilon`` so that the first batch is not divided by 0."""

    def __init__(self, shape=(), epsilon: float = 1e-4):
        self.mean = np.zeros(shape, np.float64)
        self.var = np.ones(shape, np.float64)
        self.count = float(epsilon)

    def update(self, x) -> None:
        """Merge a batch ``x`` [B, *shape]."""
        x = np.asarray(x, np.float64)
        if x.shape[1:] != self.mean.shape:
            raise ValueError(f"x must have shape [B, {', '.join(map(str, self.mean.shape))}], got {x.shape}")
        batch_mean, batch_var, n = x.mean(0), x.var(0), x.shape[0]
        delta, total = batch_mean - self.mean, self.count + n
        self.mean = self.mean + delta * n / total
        self.var = (self.var * self.count + batch_var * n + delta ** 2 * self.count * n / total) / total
        self.count = total

    def normalise(self, x, clip: float | None = None, epsilon: float = 1e-8) -> np.ndarray:
        """``(x - mean) / sqrt(var + epsilon)``, clipped to ``+-clip`` (float32)."""
        z = (np.asarray(x, np.float64) - self.mean) / np.sqrt(self.var + epsilon)
        return (z if clip is None else np.clip(z, -clip, clip)).astype(np.float32)

    def state_dict(self) -> dict:
        return {"mean": self.mean.copy(), "var": self.var.copy(), "count": self.count}

    def load_state_dict(self, state: dict) -> None:
        self.mean, self.var, self.count = np.array(state["mean"]), np.array(state["var"]), float(state["count"])


# ---------------------------------------------------------------------------- environments
def make_vector_env(env_fn, n_envs: int = 8) -> gym.vector.SyncVectorEnv:
    """``n_envs`` copies of ``env_fn()`` (or ``gym.make(env_fn)`` for an id) in a synchronous vector environment
    that resets an ended episode within the same step (``final_obs`` in the info)."""
    n_envs = check_positive_int(n_envs, "n_envs")
    thunk = (lambda: gym.make(env_fn)) if isinstance(env_fn, str) else env_fn
    if not callable(thunk):
        raise ValueError(f"env_fn must be an environment id or a callable returning an environment, got {env_fn!r}")
    return gym.vector.SyncVectorEnv([thunk] * n_envs, autoreset_mode=gym.vector.AutoresetMode.SAME_STEP)


_SIMPLE = (bool, int, float, str, type(None), np.ndarray, np.generic)


def _layers(env):
    while True:
        yield env
        if not hasattr(env, "env") or env.env is env:
            return
        env = env.env


def env_state(env) -> list:
    """The dynamic state of a gymnasium environment, wrapper by wrapper: plain attributes (numbers, arrays,
    tuples of them, e.g. ``TimeLimit._elapsed_steps``, CartPole's ``state``), the random generator's state
    and, for a MuJoCo environment, the simulator's full integration state (``mujoco.mj_getState``)."""
    layers = []
    for layer in _layers(env):
        saved = {}
        for key, value in vars(layer).items():
            if key in ("env", "_np_random", "np_random", "spec", "metadata") or key.endswith("_space"):
                continue
            if isinstance(value, _SIMPLE) or (isinstance(value, tuple) and all(isinstance(v, _SIMPLE) for v in value)):
                saved[key] = copy.deepcopy(value)
        rng = vars(layer).get("_np_random")
        extra = {"rng": None if rng is None else copy.deepcopy(rng.bit_generator.state)}
        if hasattr(layer, "model") and hasattr(layer, "data") and type(layer.data).__name__ == "MjData":
            import mujoco

            spec = mujoco.mjtState.mjSTATE_INTEGRATION
            state = np.empty(mujoco.mj_stateSize(layer.model, spec))
            mujoco.mj_getState(layer.model, layer.data, state, spec)
            extra["mujoco"] = state
        layers.append((saved, extra))
    return layers


def set_env_state(env, layers: list) -> None:
    """Restore :func:`env_state` into an environment built the same way."""
    ours = list(_layers(env))
    if len(ours) != len(layers):
        raise ValueError(f"layers: the environment has {len(ours)} wrapper layers, the saved state {len(layers)}")
    for layer, (saved, extra) in zip(ours, layers, strict=True):
        for key, value in saved.items():
            setattr(layer, key, copy.deepcopy(value))
        if extra["rng"] is not None:
            rng = np.random.Generator(getattr(np.random, extra["rng"]["bit_generator"])())
            rng.bit_generator.state = extra["rng"]
            layer._np_random = rng
        if "mujoco" in extra:
            import mujoco

            spec = mujoco.mjtState.mjSTATE_INTEGRATION
            mujoco.mj_setState(layer.model, layer.data, np.asarray(extra["mujoco"]), spec)
            mujoco.mj_forward(layer.model, layer.data)


# ---------------------------------------------------------------------------- the agent
@dataclass
class PPOHistory:
    """Per finished episode ``returns`` (environment reward) and ``steps`` (agent steps so far); per iteration
    ``policy_loss``, ``value_loss``, ``entropy``, ``approx_kl``, ``clip_fraction``."""

    returns: list = field(default_factory=list)
    steps: list = field(default_factory=list)
    policy_loss: list = field(default_factory=list)
    value_loss: list = field(default_factory=list)
    entropy: list = field(default_factory=list)
    approx_kl: list = field(default_factory=list)
    clip_fraction: list = field(default_factory=list)


class PPO:
    """PPO for a 1-D ``Box`` observation space and a 1-D ``Box`` or ``Discrete`` action space.

    Parameters (CleanRL's ``ppo_continuous_action`` defaults): ``hidden`` widths of the actor and critic
    (``tanh``); ``lr`` Adam step (annealed linearly to 0 at ``total_steps`` agent steps if ``anneal_lr``);
    ``n_steps`` steps per environment per iteration; ``gamma``; ``gae_lambda``; ``clip`` (epsilon);
    ``update_epochs``; ``n_minibatches``; ``ent_coef``; ``vf_coef``; ``clip_vloss``; ``max_grad_norm``;
    ``norm_adv``; ``norm_obs``, ``clip_obs``; ``norm_reward``, ``clip_reward``; ``init_log_std``; ``device``; ``seed``.
    """

    def __init__(self, observation_space, action_space, hidden=(64, 64), lr: float = 3e-4, n_steps: int = 2048,
                 total_steps: int = 1_000_000, gamma: float = 0.99, gae_lambda: float = 0.95, clip: float = 0.2,
                 update_epochs: int = 10, n_minibatches: int = 32, ent_coef: float = 0.0, vf_coef: float = 0.5,
                 clip_vloss: bool = True, max_grad_norm: float = 0.5, norm_adv: bool = True, norm_obs: bool = True,
                 clip_obs: float = 10.0, norm_reward: bool = True, clip_reward: float = 10.0, anneal_lr: bool = True,
                 init_log_std: float = 0.0, device=None, seed: int = 0):
        if not isinstance(observation_space, gym.spaces.Box) or len(observation_space.shape) != 1:
            raise ValueError(f"observation_space must be a 1-D Box, got {observation_space}")
        self.discrete = isinstance(action_space, gym.spaces.Discrete)
        if not self.discrete and not (isinstance(action_space, gym.spaces.Box) and len(action_space.shape) == 1):
            raise ValueError(f"action_space must be a 1-D Box or Discrete, got {action_space}")
        self.hidden = check_hidden(hidden)
        self.lr = check_positive(lr, "lr")
        self.n_steps = check_positive_int(n_steps, "n_steps")
        self.total_steps = check_positive_int(total_steps, "total_steps")
        self.gamma, self.gae_lambda = check_discount(gamma, "gamma"), check_probability(gae_lambda, "gae_lambda")
        self.clip = check_positive(clip, "clip")
        self.update_epochs = check_positive_int(update_epochs, "update_epochs")
        self.n_minibatches = check_positive_int(n_minibatches, "n_minibatches")
        self.ent_coef, self.vf_coef = check_nonnegative(ent_coef, "ent_coef"), check_nonnegative(vf_coef, "vf_coef")
        self.max_grad_norm = check_positive(max_grad_norm, "max_grad_norm")
        self.clip_obs = check_positive(clip_obs, "clip_obs")
        self.clip_reward = check_positive(clip_reward, "clip_reward")
        self.clip_vloss, self.norm_adv = check_bool(clip_vloss, "clip_vloss"), check_bool(norm_adv, "norm_adv")
        self.norm_obs, self.norm_reward = check_bool(norm_obs, "norm_obs"), check_bool(norm_reward, "norm_reward")
        self.anneal_lr = check_bool(anneal_lr, "anneal_lr")
        self.seed = check_nonnegative_int(seed, "seed")
        self.device = as_device(device)
        self.generator = torch.Generator(device=self.device).manual_seed(self.seed)
        init_generator = torch.Generator().manual_seed(self.seed)
        self.rng = np.random.default_rng(self.seed)
        self.obs_dim = observation_space.shape[0]
        if self.discrete:
            self.n_actions = int(action_space.n)
            actor_out = self.n_actions
        else:
            self.act_dim = actor_out = action_space.shape[0]
            self.action_low = np.asarray(action_space.low, np.float32)
            self.action_high = np.asarray(action_space.high, np.float32)
        self.actor = mlp(self.obs_dim, actor_out, self.hidden, nn.Tanh, generator=init_generator, device=self.device)
        self.critic = mlp(self.obs_dim, 1, self.hidden, nn.Tanh, generator=init_generator, device=self.device)
        with torch.no_grad():          # a near-uniform first policy (CleanRL: last layer at gain 0.01)
            self.actor[-1].weight.mul_(0.01)
            self.actor[-1].bias.zero_()
        params = [*self.actor.parameters(), *self.critic.parameters()]
        if not self.discrete:
            self.log_std = torch.full((self.act_dim,), float(init_log_std), device=self.device, requires_grad=True)
            params.append(self.log_std)
        # one fused kernel per step for all the parameters (CPU and CUDA): about a quarter of the update's time
        self.optimizer = torch.optim.Adam(params, lr=self.lr, eps=1e-5, fused=True)
        self.obs_rms = RunningMeanStd((self.obs_dim,))
        self.return_rms = RunningMeanStd(())
        self.step = 0                  # agent steps taken (all environments together)
        self.iteration = 0
        self.history = PPOHistory()
        self._runner = None            # per-environment state between iterations (see _start)

    # --- the policy -------------------------------------------------------------------
    def normalise_obs(self, obs) -> np.ndarray:
        """Observations [..., obs_dim] as the networks see them (no update of the statistics)."""
        obs = np.asarray(obs, np.float32)
        return self.obs_rms.normalise(obs, self.clip_obs) if self.norm_obs else obs

    def _dist(self, obs_n: torch.Tensor):
        out = self.actor(obs_n)          # (inputs are checked where they enter: no per-call validation)
        if self.discrete:
            return torch.distributions.Categorical(logits=out, validate_args=False)
        return torch.distributions.Normal(out, self.log_std.exp().expand_as(out), validate_args=False)

    def _log_prob_entropy(self, obs_n, actions):
        dist = self._dist(obs_n)
        if self.discrete:
            return dist.log_prob(actions.long()), dist.entropy()
        return dist.log_prob(actions).sum(-1), dist.entropy().sum(-1)

    def log_prob(self, obs, actions) -> torch.Tensor:
        """``log pi(a|s)`` [B] of raw observations [B, obs_dim] and actions [B, act_dim] (Box) or [B] ints
        (differentiable in the policy's parameters)."""
        obs_n = torch.as_tensor(self.normalise_obs(torch.as_tensor(obs).detach().cpu().numpy()), device=self.device)
        actions = torch.as_tensor(actions, device=self.device)
        return self._log_prob_entropy(obs_n, actions if self.discrete else actions.float())[0]

    @torch.no_grad()
    def act(self, obs, deterministic: bool = False) -> np.ndarray:
        """Action(s) for raw observation(s) [obs_dim] or [B, obs_dim], as numpy, clipped to the bounds."""
        obs = as_observations(obs, "obs", self.obs_dim)
        single = obs.ndim == 1
        obs_n = torch.as_tensor(self.normalise_obs(obs[None] if single else obs), device=self.device)
        a = self._sample(obs_n, deterministic)[0].cpu().numpy()
        a = self._executed(a)
        return a[0] if single else a

    def _sample(self, obs_n, deterministic=False):
        """Action [B(, act_dim)] and its log-probability [B] (unclipped Gaussian draw)."""
        dist = self._dist(obs_n)
        if self.discrete:
            a = (dist.logits.argmax(-1) if deterministic
                 else torch.multinomial(dist.probs, 1, generator=self.generator)[:, 0])
            return a, dist.log_prob(a)
        if deterministic:
            a = dist.mean
        else:
            noise = torch.randn(dist.mean.shape, generator=self.generator, device=self.device)
            a = dist.mean + dist.stddev * noise
        return a, dist.log_prob(a).sum(-1)

    def _executed(self, a: np.ndarray) -> np.ndarray:
        return a if self.discrete else np.clip(a, self.action_low, self.action_high)

    def value(self, obs_n: torch.Tensor) -> torch.Tensor:
        """``V(s)`` [B] of *normalised* observations."""
        return self.critic(obs_n)[:, 0]

    # --- interaction --------------------------------------------------------------------
    def _check_envs(self, envs):
        check_instance(envs, gym.vector.VectorEnv, "envs")
        space = envs.single_observation_space
        if space.shape != (self.obs_dim,):
            raise ValueError(f"envs: observations of shape {space.shape}, the agent expects ({self.obs_dim},)")
        return envs.num_envs

    def _observe(self, raw: np.ndarray, update: bool = True) -> np.ndarray:
        if self.norm_obs and update:
            self.obs_rms.update(raw)
        return self.normalise_obs(raw)

    def _start(self, envs) -> None:
        """First reset of ``envs`` (seeded ``seed, seed + 1, ...``) and the per-environment running state."""
        n = self._check_envs(envs)
        raw, _ = envs.reset(seed=self.seed)
        self._runner = {"raw_obs": np.asarray(raw, np.float32), "obs_n": self._observe(raw),
                        "episode_return": np.zeros(n), "discounted_return": np.zeros(n)}

    @torch.no_grad()
    def collect(self, envs) -> dict:
        """One iteration's ``n_steps`` steps in each environment (the first call resets ``envs``).

        Returns the batch, [T, N, ...] numpy arrays: ``obs`` (raw), ``obs_n`` (normalised, as the policy saw
        it), ``actions`` (sampled), ``executed`` (clipped to the bounds), ``log_probs``, ``values``, ``rewards``
        (the environment's), ``next_obs`` (raw; the last observation of an episode where it ended),
        ``terminated``, ``truncated``, and ``final_obs_n`` [T, N, obs_dim] (normalised next observation where
        truncated, for the bootstrap), ``last_obs_n`` [N].
        """
        if self._runner is None:
            self._start(envs)
        n = self._check_envs(envs)
        T, r = self.n_steps, self._runner
        batch = {k: [] for k in ("obs", "obs_n", "actions", "executed", "log_probs", "values", "rewards",
                                 "next_obs", "terminated", "truncated", "final_obs_n")}
        for _ in range(T):
            obs_t = torch.as_tensor(r["obs_n"], device=self.device)
            action, log_prob = self._sample(obs_t)
            action = action.cpu().numpy()
            executed = self._executed(action)
            raw, reward, terminated, truncated, info = envs.step(executed)
            raw = np.asarray(raw, np.float32)
            done = np.logical_or(terminated, truncated)
            next_raw = raw.copy()
            if done.any():                       # the true last observation, not the reset one
                for i in np.flatnonzero(done):
                    next_raw[i] = info["final_obs"][i]
            obs_n = self._observe(raw)
            final_n = np.where(done[:, None], self.normalise_obs(next_raw), obs_n)
            for key, value in (("obs", r["raw_obs"]), ("obs_n", r["obs_n"]), ("actions", action),
                               ("executed", executed), ("log_probs", log_prob.cpu().numpy()),
                               ("values", self.value(obs_t).cpu().numpy()), ("rewards", np.asarray(reward, np.float64)),
                               ("next_obs", next_raw), ("terminated", np.asarray(terminated, bool)),
                               ("truncated", np.asarray(truncated, bool) & ~np.asarray(terminated, bool)),
                               ("final_obs_n", final_n)):
                batch[key].append(value)
            r["episode_return"] += reward
            self.step += n
            for i in np.flatnonzero(done):
                self.history.returns.append(float(r["episode_return"][i]))
                self.history.steps.append(self.step)
                r["episode_return"][i] = 0.0
            r["raw_obs"], r["obs_n"] = raw, obs_n
        batch = {k: np.stack(v) for k, v in batch.items()}
        batch["last_obs_n"] = r["obs_n"].copy()
        return batch

    def _rewards(self, batch: dict, reward_fn) -> np.ndarray:
        """The batch's rewards [T, N]: the environment's or ``reward_fn``'s, then normalised (sequentially)."""
        if reward_fn is None:
            rewards = batch["rewards"]
        else:
            T, N = batch["rewards"].shape
            flat = {k: torch.as_tensor(batch[k].reshape(T * N, *batch[k].shape[2:]), device=self.device)
                    for k in ("obs", "executed", "next_obs")}
            with torch.no_grad():
                learned = reward_fn(flat["obs"], flat["executed"], flat["next_obs"])
            learned = torch.as_tensor(learned).detach().reshape(-1)
            if learned.shape != (T * N,) or not torch.isfinite(learned).all():
                raise ValueError(f"reward_fn must return {T * N} finite rewards, got shape {tuple(learned.shape)}")
            rewards = learned.cpu().numpy().astype(np.float64).reshape(T, N)
        if not self.norm_reward:
            return rewards.astype(np.float32)
        out, ret = np.empty_like(rewards), self._runner["discounted_return"]
        done = batch["terminated"] | batch["truncated"]
        for t in range(rewards.shape[0]):
            ret[:] = ret * self.gamma + rewards[t]
            self.return_rms.update(ret)
            out[t] = np.clip(rewards[t] / np.sqrt(self.return_rms.var + 1e-8), -self.clip_reward, self.clip_reward)
            ret[done[t]] = 0.0
        return out.astype(np.float32)

    # --- the update ------------------------------------------------------------------------
    def update(self, batch: dict, reward_fn=None) -> dict:
        """One PPO update on a batch from :meth:`collect`; rewards from ``reward_fn`` if given. Returns the
        iteration's mean losses (also appended to ``history``)."""
        dev = self.device
        rewards = torch.as_tensor(self._rewards(batch, reward_fn), device=dev)
        with torch.no_grad():
            truncated = torch.as_tensor(batch["truncated"], device=dev)
            if truncated.any():           # a time limit is not an end: bootstrap with V(s_T)
                final_v = self.value(torch.as_tensor(batch["final_obs_n"], device=dev).reshape(-1, self.obs_dim))
                rewards = rewards + self.gamma * truncated * final_v.reshape(rewards.shape)
            dones = torch.as_tensor(batch["terminated"] | batch["truncated"], dtype=torch.float32, device=dev)
            values = torch.as_tensor(batch["values"], device=dev)
            last_value = self.value(torch.as_tensor(batch["last_obs_n"], device=dev))
            advantages, returns = gae(rewards, values, dones, last_value, self.gamma, self.gae_lambda)
        T, N = rewards.shape
        b = {"obs_n": torch.as_tensor(batch["obs_n"], device=dev).reshape(T * N, self.obs_dim),
             "actions": torch.as_tensor(batch["actions"], device=dev).reshape(T * N, *batch["actions"].shape[2:]),
             "log_probs": torch.as_tensor(batch["log_probs"], device=dev).reshape(-1),
             "advantages": advantages.reshape(-1), "returns": returns.reshape(-1), "values": values.reshape(-1)}
        if self.anneal_lr:
            self.optimizer.param_groups[0]["lr"] = self.lr * max(0.0, 1.0 - self.iteration * T * N / self.total_steps)
        size = T * N
        mb = max(1, size // self.n_minibatches)
        stats = {k: [] for k in ("policy_loss", "value_loss", "entropy", "approx_kl", "clip_fraction")}
        params = [p for group in self.optimizer.param_groups for p in group["params"]]
        for _ in range(self.update_epochs):
            order = self.rng.permutation(size)
            for start in range(0, size - mb + 1, mb):
                idx = torch.as_tensor(order[start:start + mb], device=dev)
                log_prob, entropy = self._log_prob_entropy(b["obs_n"][idx], b["actions"][idx])
                adv = b["advantages"][idx]
                if self.norm_adv and len(idx) > 1:
                    adv = (adv - adv.mean()) / (adv.std() + 1e-8)
                pg_loss = clipped_surrogate(log_prob, b["log_probs"][idx], adv, self.clip)
                v = self.value(b["obs_n"][idx])
                v_loss = (v - b["returns"][idx]) ** 2
                if self.clip_vloss:
                    v_clipped = b["values"][idx] + (v - b["values"][idx]).clamp(-self.clip, self.clip)
                    v_loss = torch.max(v_loss, (v_clipped - b["returns"][idx]) ** 2)
                v_loss = 0.5 * v_loss.mean()
                entropy = entropy.mean()
                loss = pg_loss - self.ent_coef * entropy + self.vf_coef * v_loss
                self.optimizer.zero_grad()
                loss.backward()
                nn.utils.clip_grad_norm_(params, self.max_grad_norm, foreach=True)
                self.optimizer.step()
                with torch.no_grad():         # kept as tensors: one transfer per update, not five per minibatch
                    log_ratio = log_prob - b["log_probs"][idx]
                    ratio_m1 = log_ratio.exp() - 1
                    stats["approx_kl"].append((ratio_m1 - log_ratio).mean())
                    stats["clip_fraction"].append((ratio_m1.abs() > self.clip).float().mean())
                    stats["policy_loss"].append(pg_loss.detach())
                    stats["value_loss"].append(v_loss.detach())
                    stats["entropy"].append(entropy.detach())
        self.iteration += 1
        out = dict(zip(stats, torch.stack([torch.stack(v).mean() for v in stats.values()]).tolist(), strict=True))
        for k, v in out.items():
            getattr(self.history, k).append(v)
        return out

    def learn(self, envs, total_steps: int, reward_fn=None, checkpoint=None, checkpoint_every: float = 300.0,
              callback=None) -> PPOHistory:
        """Collect and update until ``self.step >= total_steps`` (an absolute count: a resumed agent continues).

        ``checkpoint``: a file written (:meth:`save`) every ``checkpoint_every`` seconds and at the end;
        ``callback(agent)`` after each iteration (return ``False`` to stop)."""
        total_steps = check_positive_int(total_steps, "total_steps")
        checkpoint_every = check_nonnegative(checkpoint_every, "checkpoint_every")
        last_save = time.monotonic()
        while self.step < total_steps:
            self.update(self.collect(envs), reward_fn)
            if checkpoint is not None and time.monotonic() - last_save >= checkpoint_every:
                self.save(checkpoint, envs)
                last_save = time.monotonic()
            if callback is not None and callback(self) is False:
                break
        if checkpoint is not None:
            self.save(checkpoint, envs)
        return self.history

    # --- checkpoints -----------------------------------------------------------------------
    def state_dict(self, envs=None) -> dict:
        """Everything needed to continue bit for bit: networks, optimiser, normalisers, random states, step
        count, history, the per-environment running state and (``envs`` given) the environments' state."""
        state = {"actor": self.actor.state_dict(), "critic": self.critic.state_dict(),
                 "optimizer": self.optimizer.state_dict(), "obs_rms": self.obs_rms.state_dict(),
                 "return_rms": self.return_rms.state_dict(), "generator": self.generator.get_state(),
                 "rng": copy.deepcopy(self.rng.bit_generator.state), "step": self.step, "iteration": self.iteration,
                 "history": copy.deepcopy(vars(self.history)), "runner": copy.deepcopy(self._runner),
                 "discrete": self.discrete, "obs_dim": self.obs_dim, "hidden": self.hidden}
        if not self.discrete:
            state["log_std"] = self.log_std.detach().clone()
        if envs is not None:
            if not hasattr(envs, "envs"):
                raise ValueError("envs: only a synchronous vector environment (make_vector_env) can be saved")
            state["envs"] = [env_state(e) for e in envs.envs]
        return state

    def load_state_dict(self, state: dict, envs=None) -> None:
        """Restore :meth:`state_dict` into an agent built with the same settings (and ``envs`` likewise).

        A checkpoint moves between devices (CPU, CUDA); the continuation is bit-identical on the same kind of
        device only, since the action-sampling generator restarts when its device kind changes."""
        if (state["discrete"], state["obs_dim"], tuple(state["hidden"])) != (self.discrete, self.obs_dim, self.hidden):
            raise ValueError("state: saved by an agent with other spaces or hidden widths")
        self.actor.load_state_dict(state["actor"])
        self.critic.load_state_dict(state["critic"])
        if not self.discrete:
            with torch.no_grad():
                self.log_std.copy_(state["log_std"])
        self.optimizer.load_state_dict(state["optimizer"])
        self.obs_rms.load_state_dict(state["obs_rms"])
        self.return_rms.load_state_dict(state["return_rms"])
        saved = state["generator"].cpu()
        if saved.numel() == self.generator.get_state().numel():
            self.generator.set_state(saved)
        else:   # saved on another kind of device (CUDA's generator state is not the CPU's): a fresh stream here
            self.generator.manual_seed(self.seed + int(state["iteration"]))
        self.rng.bit_generator.state = state["rng"]
        self.step, self.iteration = int(state["step"]), int(state["iteration"])
        self.history = PPOHistory(**copy.deepcopy(state["history"]))
        self._runner = copy.deepcopy(state["runner"])
        if envs is not None:
            if "envs" not in state or len(state["envs"]) != envs.num_envs:
                raise ValueError("envs: the checkpoint holds no state for this many environments")
            for env, saved in zip(envs.envs, state["envs"], strict=True):
                set_env_state(env, saved)

    def save(self, path, envs=None) -> Path:
        """Write :meth:`state_dict` to ``path`` (atomically: a temporary file, then a rename)."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(path.suffix + ".tmp")
        torch.save(self.state_dict(envs), tmp)
        tmp.replace(path)
        return path

    def load(self, path, envs=None) -> PPO:
        """Restore a checkpoint written by :meth:`save`; returns the agent."""
        path = Path(path)
        if not path.is_file():
            raise FileNotFoundError(f"no checkpoint at {path}")
        self.load_state_dict(torch.load(path, map_location=self.device, weights_only=False), envs)
        return self


def evaluate(agent: PPO, env: gym.Env, n_episodes: int = 10, seed: int = 10_000, deterministic: bool = True) -> float:
    """Mean true return of ``agent`` over ``n_episodes`` episodes of ``env`` (episode ``e`` reset with ``seed + e``);
    the agent's normalisers are not updated."""
    n_episodes = check_positive_int(n_episodes, "n_episodes")
    returns = []
    for e in range(n_episodes):
        obs, _ = env.reset(seed=seed + e)
        total, done = 0.0, False
        while not done:
            obs, reward, terminated, truncated, _ = env.step(agent.act(obs, deterministic))
            total += float(reward)
            done = terminated or truncated
        returns.append(total)
    return float(np.mean(returns))
