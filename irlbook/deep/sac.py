"""Soft actor-critic (Haarnoja et al. 2018), one readable file, continuous or discrete actions.

SAC maximises ``E[sum_t gamma^t (r_t + alpha H(pi(.|s_t)))]``: the entropy-regularised objective whose
optimum is the soft-optimal policy of chapter 1 at temperature ``alpha``. Pieces:

* twin soft Q-networks ``Q_1, Q_2`` and Polyak-averaged target copies; the target
  ``y = r + gamma (1 - terminated) [min_i Q_targ_i(s', a') - alpha log pi(a'|s')]``, ``a' ~ pi(.|s')``;
* an actor: a tanh-squashed Gaussian for ``Box`` actions, a softmax for ``Discrete`` ones
  (Christodoulou 2019: expectations over actions are computed exactly instead of sampled);
* automatic temperature: ``alpha`` is tuned so that the policy's entropy stays near
  ``target_entropy`` (default ``-dim(A)`` for Box, ``0.6 log |A|`` for Discrete), or kept
  fixed with ``learn_alpha=False``.

``reward_fn(obs, action, next_obs) -> [B]`` (torch tensors) replaces the environment's reward
*when a batch is sampled*, so a reward that keeps changing (inverse RL) relabels the whole
replay buffer for free. The device is chosen at run time (:func:`irlbook.get_device`). Every random draw
(initial weights, action noise, minibatches, random actions) comes from the agent's own ``generator``
(torch) and ``rng`` (numpy), both seeded with ``seed``: torch's global random state is never touched.
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass, field

import gymnasium as gym
import numpy as np
import torch
import torch.nn.functional as F

from ..validation import (
    as_observations,
    check_bool,
    check_discount,
    check_hidden,
    check_nonnegative_int,
    check_positive,
    check_positive_int,
    check_real,
)
from .networks import as_device, mlp

LOG_STD_MIN, LOG_STD_MAX = -5.0, 2.0


class ReplayBuffer:
    """Transitions ``(obs, action, reward, next_obs, terminated)`` in a ring buffer of numpy arrays."""

    def __init__(self, obs_dim: int, action_shape: tuple, capacity: int, discrete: bool):
        capacity = check_positive_int(capacity, "buffer_size")
        self.obs = np.zeros((capacity, obs_dim), dtype=np.float32)
        self.next_obs = np.zeros((capacity, obs_dim), dtype=np.float32)
        self.actions = np.zeros((capacity, *action_shape), dtype=np.int64 if discrete else np.float32)
        self.rewards = np.zeros(capacity, dtype=np.float32)
        self.terminated = np.zeros(capacity, dtype=np.float32)
        self.capacity, self.size, self.position = capacity, 0, 0   # position: where the next transition goes

    def add(self, obs, action, reward, next_obs, terminated) -> None:
        i = self.position
        self.obs[i], self.actions[i], self.rewards[i] = obs, action, reward
        self.next_obs[i], self.terminated[i] = next_obs, terminated
        self.position = (i + 1) % self.capacity
        self.size = min(self.size + 1, self.capacity)

    def recent_indices(self, window: int, size: int, rng: np.random.Generator) -> np.ndarray:
        """``size`` random indices among the ``window`` most recently added transitions."""
        window = min(check_positive_int(window, "window"), self.size)
        if window == 0:
            raise ValueError("the replay buffer is empty: collect transitions first")
        return (self.position - 1 - rng.integers(0, window, size=size)) % self.capacity

    def sample(self, batch_size: int, rng: np.random.Generator, device) -> dict:
        idx = rng.integers(0, self.size, size=batch_size)
        return {k: torch.as_tensor(getattr(self, k)[idx], device=device)
                for k in ("obs", "actions", "rewards", "next_obs", "terminated")}


@dataclass
class SACHistory:
    """Per-episode ``returns`` (environment reward) and ``steps``; per-update ``q_loss``, ``alpha``."""

    returns: list = field(default_factory=list)
    steps: list = field(default_factory=list)
    q_loss: list = field(default_factory=list)
    alpha: list = field(default_factory=list)


class SAC:
    """Soft actor-critic for a gymnasium ``Box`` (1-D) or ``Discrete`` action space.

    Parameters: ``hidden`` widths of every network; ``gamma`` discount; ``polyak`` target
    averaging; ``lr`` Adam step of all three optimisers; ``batch_size``; ``buffer_size``;
    ``init_alpha`` initial temperature; ``target_entropy``; ``learn_alpha`` (False keeps the
    temperature fixed at ``init_alpha``: the policy then targets the soft-optimal policy of
    ``reward / init_alpha``, which is what MaxEnt IRL's importance weights want at ``init_alpha=1``);
    ``device``; ``seed``.
    """

    def __init__(self, observation_space, action_space, hidden=(64, 64), gamma: float = 0.99,
                 polyak: float = 0.995, lr: float = 3e-4, batch_size: int = 256, buffer_size: int = 100_000,
                 init_alpha: float = 0.2, target_entropy: float | None = None, learn_alpha: bool = True,
                 device=None, seed: int = 0):
        if not isinstance(observation_space, gym.spaces.Box) or len(observation_space.shape) != 1:
            raise ValueError(f"observation_space must be a 1-D Box, got {observation_space}")
        self.discrete = isinstance(action_space, gym.spaces.Discrete)
        if not self.discrete and not (isinstance(action_space, gym.spaces.Box) and len(action_space.shape) == 1):
            raise ValueError(f"action_space must be a 1-D Box or Discrete, got {action_space}")
        hidden = check_hidden(hidden)
        gamma = check_discount(gamma, "gamma")
        polyak = check_real(polyak, "polyak", low=0.0, high=1.0, high_open=True)
        lr, init_alpha = check_positive(lr, "lr"), check_positive(init_alpha, "init_alpha")
        batch_size = check_positive_int(batch_size, "batch_size")
        if target_entropy is not None:
            target_entropy = check_real(target_entropy, "target_entropy")
        self.learn_alpha = check_bool(learn_alpha, "learn_alpha")
        self.seed = check_nonnegative_int(seed, "seed")
        self.device = as_device(device)
        # every random draw of the agent comes from its own generators, seeded from ``seed``:
        # ``generator`` (torch, on the agent's device: initial parameters on the CPU, action noise)
        # and ``rng`` (numpy: replay minibatches, uniformly random actions). Global state is never touched.
        self.generator = torch.Generator(device=self.device).manual_seed(self.seed)
        init_generator = self.generator if self.device.type == "cpu" else torch.Generator().manual_seed(self.seed)
        self.rng = np.random.default_rng(self.seed)
        self.gamma, self.polyak, self.batch_size = gamma, polyak, batch_size
        self.obs_dim = observation_space.shape[0]
        if self.discrete:
            self.n_actions = int(action_space.n)
            q_in, q_out, actor_out = self.obs_dim, self.n_actions, self.n_actions
            self.target_entropy = 0.6 * math.log(self.n_actions) if target_entropy is None else target_entropy
            action_shape = ()
        else:
            self.act_dim = action_space.shape[0]
            low, high = (torch.as_tensor(b, dtype=torch.float32, device=self.device)
                         for b in (action_space.low, action_space.high))
            self.action_scale, self.action_centre = (high - low) / 2, (high + low) / 2
            q_in, q_out, actor_out = self.obs_dim + self.act_dim, 1, 2 * self.act_dim
            self.target_entropy = -float(self.act_dim) if target_entropy is None else target_entropy
            action_shape = (self.act_dim,)
        self.actor = mlp(self.obs_dim, actor_out, hidden, generator=init_generator, device=self.device)
        self.q1 = mlp(q_in, q_out, hidden, generator=init_generator, device=self.device)
        self.q2 = mlp(q_in, q_out, hidden, generator=init_generator, device=self.device)
        self.q1_target, self.q2_target = copy.deepcopy(self.q1), copy.deepcopy(self.q2)
        for p in (*self.q1_target.parameters(), *self.q2_target.parameters()):
            p.requires_grad_(False)
        self.log_alpha = torch.tensor(math.log(init_alpha), device=self.device, requires_grad=True)
        # foreach Adam: each step updates all of an optimiser's tensors in a few batched calls, with the
        # same arithmetic as the per-tensor loop (bit for bit: the stored results stay reproducible)
        self.actor_opt = torch.optim.Adam(self.actor.parameters(), lr=lr, foreach=True)
        self.q_opt = torch.optim.Adam([*self.q1.parameters(), *self.q2.parameters()], lr=lr, foreach=True)
        self.alpha_opt = torch.optim.Adam([self.log_alpha], lr=lr, foreach=True)
        self._online = [*self.q1.parameters(), *self.q2.parameters()]
        self._target = [*self.q1_target.parameters(), *self.q2_target.parameters()]
        self.buffer = ReplayBuffer(self.obs_dim, action_shape, buffer_size, self.discrete)

    @property
    def alpha(self) -> float:
        return float(self.log_alpha.detach().exp())

    # --- the policy -------------------------------------------------------------------
    def _gaussian(self, actor, obs):
        mean, log_std = actor(obs).chunk(2, dim=-1)
        return mean, log_std.clamp(LOG_STD_MIN, LOG_STD_MAX)

    def _sample(self, obs, actor=None):
        """Reparametrised action and ``log pi(a|s)`` [B] (continuous), or probabilities and
        log-probabilities [B, A] (discrete)."""
        actor = self.actor if actor is None else actor
        if self.discrete:
            logits = actor(obs)
            return F.softmax(logits, -1), F.log_softmax(logits, -1)
        mean, log_std = self._gaussian(actor, obs)
        noise = torch.randn(mean.shape, generator=self.generator, dtype=mean.dtype, device=mean.device)
        u = mean + log_std.exp() * noise
        return self._squash(u), self._log_prob_u(mean, log_std, u)

    def _squash(self, u):
        return self.action_centre + self.action_scale * torch.tanh(u)

    def _log_prob_u(self, mean, log_std, u):
        """``log pi(a|s)`` of ``a = squash(u)``: Gaussian density of u minus ``log |da/du|``."""
        gauss = (-0.5 * ((u - mean) / log_std.exp()) ** 2 - log_std - 0.5 * math.log(2 * math.pi)).sum(-1)
        # log(1 - tanh(u)^2) = 2 (log 2 - u - softplus(-2u)), stable for large |u|
        log_det = (torch.log(self.action_scale) + 2 * (math.log(2) - u - F.softplus(-2 * u))).sum(-1)
        return gauss - log_det

    def log_prob(self, obs, actions, actor=None) -> torch.Tensor:
        """``log pi(a|s)`` [B] of given actions (the proposal density GCL needs).

        obs [B, obs_dim]; actions [B, act_dim] (Box; clipped just inside the bounds) or [B] ints.
        ``actor`` defaults to the current one; pass a frozen copy for a past policy.
        """
        actor = self.actor if actor is None else actor
        obs = torch.as_tensor(obs, dtype=torch.float32, device=self.device)
        if self.discrete:
            actions = torch.as_tensor(actions, dtype=torch.int64, device=self.device)
            return F.log_softmax(actor(obs), -1).gather(-1, actions[:, None])[:, 0]
        actions = torch.as_tensor(actions, dtype=torch.float32, device=self.device)
        y = ((actions - self.action_centre) / self.action_scale).clamp(-1 + 1e-6, 1 - 1e-6)
        mean, log_std = self._gaussian(actor, obs)
        return self._log_prob_u(mean, log_std, torch.atanh(y))

    @torch.no_grad()
    def act(self, obs, deterministic: bool = False) -> np.ndarray:
        """Action(s) for observation(s) [obs_dim] or [B, obs_dim], as numpy."""
        obs = as_observations(obs, "obs", self.obs_dim)
        obs_t = torch.as_tensor(obs, device=self.device)
        single = obs_t.ndim == 1
        obs_t = obs_t[None] if single else obs_t
        if self.discrete:
            logits = self.actor(obs_t)
            a = (logits.argmax(-1) if deterministic
                 else torch.multinomial(F.softmax(logits, -1), 1, generator=self.generator)[:, 0])
        elif deterministic:
            a = self._squash(self._gaussian(self.actor, obs_t)[0])
        else:
            a = self._sample(obs_t)[0]
        a = a.cpu().numpy()
        return a[0] if single else a

    # --- one gradient step --------------------------------------------------------------
    def _q(self, net, obs, actions=None):
        if self.discrete:
            return net(obs)                                         # [B, A]
        return net(torch.cat([obs, actions], -1))[:, 0]             # [B]

    def update(self, batch: dict, reward_fn=None) -> float:
        """One step on critics, actor and temperature from a batch; returns the critic loss."""
        obs, actions, next_obs = batch["obs"], batch["actions"], batch["next_obs"]
        alpha = self.log_alpha.exp().detach()
        with torch.no_grad():
            reward = batch["rewards"] if reward_fn is None else reward_fn(obs, actions, next_obs).reshape(-1).float()
            if self.discrete:
                probs, log_probs = self._sample(next_obs)
                q_next = torch.min(self._q(self.q1_target, next_obs), self._q(self.q2_target, next_obs))
                v_next = (probs * (q_next - alpha * log_probs)).sum(-1)
            else:
                a_next, log_pi_next = self._sample(next_obs)
                q_next = torch.min(self._q(self.q1_target, next_obs, a_next), self._q(self.q2_target, next_obs, a_next))
                v_next = q_next - alpha * log_pi_next
            target = reward + self.gamma * (1 - batch["terminated"]) * v_next
        if self.discrete:
            q1 = self._q(self.q1, obs).gather(-1, actions[:, None])[:, 0]
            q2 = self._q(self.q2, obs).gather(-1, actions[:, None])[:, 0]
        else:
            q1, q2 = self._q(self.q1, obs, actions), self._q(self.q2, obs, actions)
        q_loss = F.mse_loss(q1, target) + F.mse_loss(q2, target)
        self.q_opt.zero_grad()
        q_loss.backward()
        self.q_opt.step()

        # actor: minimise E[alpha log pi - min Q]; temperature: keep the entropy near its target
        if self.discrete:
            probs, log_probs = self._sample(obs)
            with torch.no_grad():
                q_min = torch.min(self._q(self.q1, obs), self._q(self.q2, obs))
            actor_loss = (probs * (alpha * log_probs - q_min)).sum(-1).mean()
            entropy = -(probs * log_probs).sum(-1).detach()
        else:
            a, log_pi = self._sample(obs)
            for p in self._online:                # the critics pass gradients to the action, not to themselves
                p.requires_grad_(False)
            try:
                q_min = torch.min(self._q(self.q1, obs, a), self._q(self.q2, obs, a))
            finally:
                for p in self._online:
                    p.requires_grad_(True)
            actor_loss = (alpha * log_pi - q_min).mean()
            entropy = -log_pi.detach()
        self.actor_opt.zero_grad()
        actor_loss.backward()
        self.actor_opt.step()
        if self.learn_alpha:
            alpha_loss = (self.log_alpha * (entropy - self.target_entropy)).mean()
            self.alpha_opt.zero_grad()
            alpha_loss.backward()
            self.alpha_opt.step()

        with torch.no_grad():                 # target <- polyak target + (1 - polyak) online, all tensors at once
            torch._foreach_mul_(self._target, self.polyak)
            torch._foreach_add_(self._target, torch._foreach_mul(self._online, 1 - self.polyak))
        return float(q_loss.detach())

    def update_many(self, n_updates: int, reward_fn=None) -> list:
        """``n_updates`` (>= 0) gradient steps on batches from the replay buffer; critic losses."""
        n_updates = check_nonnegative_int(n_updates, "n_updates")
        if self.buffer.size == 0:
            raise ValueError("the replay buffer is empty: collect transitions before updating")
        return [self.update(self.buffer.sample(self.batch_size, self.rng, self.device), reward_fn)
                for _ in range(n_updates)]

    # --- interaction --------------------------------------------------------------------
    def _random_action(self, space):
        """A uniform action from the agent's own seeded generator (reproducible, unlike space.sample())."""
        if self.discrete:
            return int(self.rng.integers(space.n))
        return self.rng.uniform(space.low, space.high).astype(np.float32)

    def rollout(self, env: gym.Env, n_episodes: int, seed=None, deterministic: bool = False,
                random_actions: bool = False, store: bool = True) -> dict:
        """Run whole episodes; store their transitions in the buffer if ``store``.

        Returns ``states`` [n, T+1, obs_dim], ``actions`` [n, T, ...], ``returns`` [n]
        (environment reward). Episodes must all have the same length T (fixed horizon).
        """
        n_episodes = check_positive_int(n_episodes, "n_episodes")
        all_states, all_actions, returns = [], [], []
        for e in range(n_episodes):
            obs, _ = env.reset(seed=None if seed is None else seed + e)
            states, actions, total, done = [obs], [], 0.0, False
            while not done:
                action = self._random_action(env.action_space) if random_actions else self.act(obs, deterministic)
                next_obs, reward, terminated, truncated, _ = env.step(action)
                if not np.isfinite(next_obs).all():
                    raise ValueError("the environment returned a non-finite observation (NaN or inf)")
                if store:
                    self.buffer.add(obs, action, reward, next_obs, float(terminated))
                states.append(next_obs)
                actions.append(action)
                total += reward
                obs, done = next_obs, terminated or truncated
            all_states.append(np.asarray(states, dtype=np.float32))
            all_actions.append(np.asarray(actions))
            returns.append(total)
        if len({len(a) for a in all_actions}) != 1:
            raise ValueError("episodes of different lengths: rollout needs a fixed-horizon environment")
        return {"states": np.stack(all_states), "actions": np.stack(all_actions), "returns": np.asarray(returns)}

    def train(self, env: gym.Env, n_episodes: int, updates_per_episode: int | None = None,
              random_episodes: int = 5, reward_fn=None, seed: int = 0, progress: bool = False) -> SACHistory:
        """Alternate one episode of interaction with ``updates_per_episode`` gradient steps
        (default: one per environment step). The first ``random_episodes`` act uniformly at random."""
        n_episodes = check_positive_int(n_episodes, "n_episodes")
        if updates_per_episode is not None:
            updates_per_episode = check_nonnegative_int(updates_per_episode, "updates_per_episode")
        random_episodes = check_nonnegative_int(random_episodes, "random_episodes")
        seed = check_nonnegative_int(seed, "seed")
        history = SACHistory()
        iterator = range(n_episodes)
        if progress:
            from tqdm.auto import tqdm
            iterator = tqdm(iterator, desc="SAC")
        total_steps = 0
        for e in iterator:
            out = self.rollout(env, 1, seed=seed + e, random_actions=e < random_episodes)
            T = out["actions"].shape[1]
            total_steps += T
            history.returns.append(float(out["returns"][0]))
            history.steps.append(total_steps)
            history.q_loss += self.update_many(T if updates_per_episode is None else updates_per_episode, reward_fn)
            history.alpha.append(self.alpha)
        return history
