"""Adversarial IRL in continuous spaces: GAIL, AIRL and GAN-GCL with torch discriminators and SAC (chapter 7).

The tabular file :mod:`irlbook.tabular.adversarial` checks the theory exactly; this one samples. A
discriminator ``D`` separates expert transitions ``(s, a, s')`` from the generator's, and the
generator -- soft actor-critic (:class:`irlbook.deep.sac.SAC`) -- maximises the discriminator's logit
``l = log D - log(1 - D)`` summed over time, as in the papers. The three discriminators differ in ``l``:

GAIL (Ho & Ermon 2016), unconstrained        ``l = d(s, a)``
GAN-GCL (Finn et al. 2016), state-action     ``l = f(s, a) - log pi(a|s)``
AIRL (Fu, Luo & Levine 2018), state-only     ``l = g(s) + gamma h(s') - h(s) - log pi(a|s)``

``D = exp f / (exp f + pi) = sigmoid(f - log pi)`` for the last two (:func:`structured_probability`).
The discriminator is trained by binary cross-entropy, expert = 1 (:func:`discriminator_loss`), on
minibatches of expert transitions and of the generator's most recent transitions; ``log pi`` is
the *current* policy's density of the stored action.

The generator's reward is the energy ``f`` (:func:`generator_reward`), not ``l``: for AIRL and GAN-GCL
``E_pi[sum_t l] = E_pi[sum_t f] + sum_t E_pi[H(pi(.|s_t))]`` is SAC's own objective for the reward ``f`` at
temperature 1, so :func:`adversarial_imitation` runs SAC on ``f`` with its temperature fixed at 1 and the
entropy is counted once. (Handing ``l`` to SAC would add SAC's ``alpha H`` to the ``-log pi`` inside ``l``:
the policy would target ``f / (1 + alpha)``.) For GAIL ``f = d = l`` and SAC's automatic temperature plays
the role of GAIL's small causal-entropy bonus. SAC's ``reward_fn`` relabels every sampled batch with the
current ``f``, so the reward can change every iteration.

The learned reward re-optimised after a change of dynamics (:meth:`Discriminator.learned_reward`) is
``g(s')`` for AIRL (state-only: it cannot encode the old dynamics), ``f(s, a)`` for GAN-GCL and
``d(s, a)`` for GAIL (chapter 7 argues why the last two transfer badly).

Shapes: obs [B, obs_dim], actions [B, act_dim] (``Box``) or [B] integers (``Discrete``, one-hot encoded for
the state-action networks, ``act_dim`` = number of actions), next_obs [B, obs_dim], everything else [B].
Environments that terminate need a fixed horizon first (:class:`irlbook.envs.AbsorbingState`): the sign of
the logit reward would otherwise decide whether ending the episode early pays.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import gymnasium as gym
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from .sac import SAC, mlp

KINDS = ("gail", "airl", "gan_gcl")


# ---------------------------------------------------------------------------- discriminator forms
def structured_probability(f: torch.Tensor, log_pi: torch.Tensor) -> torch.Tensor:
    """``D = exp f / (exp f + pi)`` [B], computed stably as ``sigmoid(f - log pi)``."""
    if f.shape != log_pi.shape:
        raise ValueError(f"f and log_pi must have the same shape, got {tuple(f.shape)} and {tuple(log_pi.shape)}")
    return torch.sigmoid(f - log_pi)


def discriminator_loss(expert_logit: torch.Tensor, policy_logit: torch.Tensor) -> torch.Tensor:
    """Binary cross-entropy ``-E_expert[log D] - E_policy[log(1 - D)]`` from logits [B_E], [B_pi]."""
    if expert_logit.ndim != 1 or policy_logit.ndim != 1 or len(expert_logit) == 0 or len(policy_logit) == 0:
        raise ValueError(f"expert_logit and policy_logit must be non-empty 1-D tensors, "
                         f"got shapes {tuple(expert_logit.shape)} and {tuple(policy_logit.shape)}")
    return -F.logsigmoid(expert_logit).mean() - F.logsigmoid(-policy_logit).mean()


class Discriminator(nn.Module):
    """The GAIL, AIRL or GAN-GCL discriminator (``kind``) as MLPs of widths ``hidden``.

    ``gail``: ``d(s, a)``; ``gan_gcl``: ``f(s, a)``; ``airl``: ``g(s)`` and ``h(s)`` with
    ``f(s, a, s') = g(s) + gamma (1 - terminated) h(s') - h(s)`` (state-only reward).
    ``discrete=True``: actions are integers in ``range(act_dim)``, one-hot encoded.
    """

    def __init__(self, kind: str, obs_dim: int, act_dim: int, gamma: float = 0.99, hidden=(64, 64),
                 discrete: bool = False):
        super().__init__()
        if kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")
        if not 0 < gamma <= 1:
            raise ValueError(f"gamma must lie in (0, 1], got {gamma}")
        self.kind, self.obs_dim, self.act_dim, self.gamma = kind, int(obs_dim), int(act_dim), float(gamma)
        self.discrete = bool(discrete)
        if kind == "airl":
            self.g, self.h = mlp(obs_dim, 1, hidden), mlp(obs_dim, 1, hidden)
        else:
            self.net = mlp(obs_dim + act_dim, 1, hidden)

    def _check(self, obs, actions, next_obs):
        B = obs.shape[0] if obs.ndim == 2 else -1
        action_shape = (B,) if self.discrete else (B, self.act_dim)
        if obs.shape != (B, self.obs_dim) or next_obs.shape != (B, self.obs_dim) or actions.shape != action_shape:
            raise ValueError(f"obs, actions, next_obs must have shapes [B, {self.obs_dim}], "
                             f"{'[B]' if self.discrete else f'[B, {self.act_dim}]'}, [B, {self.obs_dim}], "
                             f"got {tuple(obs.shape)}, {tuple(actions.shape)}, {tuple(next_obs.shape)}")
        if not (torch.isfinite(obs).all() and torch.isfinite(actions.float()).all() and torch.isfinite(next_obs).all()):
            raise ValueError("obs, actions and next_obs must be finite")
        if self.discrete and ((actions < 0).any() or (actions >= self.act_dim).any()):
            raise ValueError(f"discrete actions must lie in range({self.act_dim})")

    def _state_action(self, obs, actions):
        """The input [B, obs_dim + act_dim] of the state-action networks (one-hot actions if discrete)."""
        if self.discrete:
            actions = F.one_hot(actions.long(), self.act_dim).to(obs.dtype)
        return torch.cat([obs, actions], -1)

    def g_h(self, obs, next_obs):
        """AIRL's ``g(s)``, ``h(s)``, ``h(s')`` [B] each."""
        if self.kind != "airl":
            raise ValueError(f"g_h needs kind='airl', this discriminator is {self.kind!r}")
        return self.g(obs)[:, 0], self.h(obs)[:, 0], self.h(next_obs)[:, 0]

    def f(self, obs, actions, next_obs, terminated=None) -> torch.Tensor:
        """The energy [B]: ``d(s,a)`` (GAIL), ``f(s,a)`` (GAN-GCL) or ``g(s) + gamma h(s') - h(s)`` (AIRL)."""
        self._check(obs, actions, next_obs)
        if self.kind != "airl":
            return self.net(self._state_action(obs, actions))[:, 0]
        g, h, h_next = self.g_h(obs, next_obs)
        not_done = 1.0 if terminated is None else 1.0 - terminated
        return g + self.gamma * not_done * h_next - h

    def logit(self, obs, actions, next_obs, log_pi=None, terminated=None) -> torch.Tensor:
        """``l = log D - log(1 - D)`` [B]: ``d`` for GAIL, ``f - log pi`` otherwise (``log_pi`` [B] needed)."""
        f = self.f(obs, actions, next_obs, terminated)
        if self.kind == "gail":
            return f
        if log_pi is None or log_pi.shape != f.shape:
            raise ValueError(f"log_pi must be a tensor of shape {tuple(f.shape)} for kind={self.kind!r}")
        return f - log_pi

    def learned_reward(self, obs, actions, next_obs) -> torch.Tensor:
        """The reward [B] to re-optimise in new dynamics: ``g(s')`` (AIRL), ``f(s, a)``, ``d(s, a)``."""
        self._check(obs, actions, next_obs)
        if self.kind == "airl":
            return self.g(next_obs)[:, 0]
        return self.net(self._state_action(obs, actions))[:, 0]


# ---------------------------------------------------------------------------- the loop
def flatten_demos(demos: dict, obs_dim: int, act_dim: int, discrete: bool = False) -> dict:
    """Expert transitions from ``states`` [n, T+1, obs_dim] and ``actions`` [n, T, act_dim] (``discrete``:
    [n, T] integers in ``range(act_dim)``): arrays [n*T, ...]."""
    if not isinstance(demos, dict) or "states" not in demos or "actions" not in demos:
        raise ValueError("demos must be a dict with 'states' [n, T+1, obs_dim] and 'actions' [n, T, act_dim]")
    states = np.asarray(demos["states"], np.float32)
    actions = np.asarray(demos["actions"], np.float64 if discrete else np.float32)
    if discrete:     # integers only: a float action would otherwise be truncated silently
        if not np.all(np.isfinite(actions)) or np.any(actions != np.round(actions)):
            raise ValueError("discrete demo actions must be integers")
        actions = actions.astype(np.int64)
    action_ndim = 2 if discrete else 3
    if states.ndim != 3 or actions.ndim != action_ndim or len(states) == 0 or actions.shape[1] == 0:
        raise ValueError(f"demos must be non-empty, states [n, T+1, obs_dim] and actions "
                         f"{'[n, T]' if discrete else '[n, T, act_dim]'}, got {states.shape} and {actions.shape}")
    n, T = actions.shape[:2]
    if states.shape != (n, T + 1, obs_dim) or (not discrete and actions.shape[2] != act_dim):
        raise ValueError(f"demos must have states [{n}, {T + 1}, {obs_dim}] and actions "
                         f"[{n}, {T}{'' if discrete else f', {act_dim}'}], got {states.shape} and {actions.shape}")
    if not np.isfinite(states).all() or (not discrete and not np.isfinite(actions).all()):
        raise ValueError("demos must be finite")
    if discrete and ((actions < 0).any() or (actions >= act_dim).any()):
        raise ValueError(f"discrete demo actions must lie in range({act_dim})")
    return {"obs": states[:, :-1].reshape(-1, obs_dim), "actions": actions.reshape(n * T, *actions.shape[2:]),
            "next_obs": states[:, 1:].reshape(-1, obs_dim), "terminated": np.zeros(n * T, np.float32)}


def _recent_indices(agent: SAC, window: int, size: int, rng: np.random.Generator) -> np.ndarray:
    """``size`` random indices among the ``window`` most recent transitions of the agent's buffer."""
    buf = agent.buffer
    window = min(window, buf.size)
    return (buf._next - 1 - rng.integers(0, window, size=size)) % buf.capacity


@dataclass
class DeepAdversarialResult:
    """``discriminator``, the generator ``agent`` (SAC); per iteration: ``returns`` (mean true return of
    the iteration's episodes), ``disc_loss``, ``expert_prob`` and ``policy_prob`` (mean D on each side)."""

    discriminator: Discriminator
    agent: SAC
    returns: list = field(default_factory=list)
    disc_loss: list = field(default_factory=list)
    expert_prob: list = field(default_factory=list)
    policy_prob: list = field(default_factory=list)

    def reward_fn(self):
        """The generator's reward ``f(s, a, s')`` for SAC's ``reward_fn`` (:func:`generator_reward`)."""
        return generator_reward(self.discriminator)

    def learned_reward_fn(self):
        """The learned reward (:meth:`Discriminator.learned_reward`) for SAC's ``reward_fn``, frozen."""
        disc = self.discriminator

        def reward(obs, actions, next_obs):
            with torch.no_grad():
                return disc.learned_reward(obs, actions, next_obs)
        return reward


def generator_reward(disc: Discriminator):
    """``reward_fn(obs, actions, next_obs) = f`` [B] for SAC: ``d(s, a)``, ``f(s, a)`` or ``g(s) + gamma h(s') - h(s)``.

    With SAC at temperature 1 this maximises ``E[sum_t log D - log(1 - D)]`` for AIRL and GAN-GCL (module doc)."""
    def reward(obs, actions, next_obs):
        with torch.no_grad():
            return disc.f(obs, actions, next_obs)
    return reward


def logit_reward(disc: Discriminator, agent: SAC):
    """``reward_fn = l = f - log pi`` (current policy): the double-counting variant, kept to measure the pitfall.

    SAC at temperature ``alpha`` on ``l`` targets the soft-optimal policy of ``f / (1 + alpha)`` (chapter 7)."""
    def reward(obs, actions, next_obs):
        with torch.no_grad():
            log_pi = None if disc.kind == "gail" else agent.log_prob(obs, actions)
            return disc.logit(obs, actions, next_obs, log_pi)
    return reward


def adversarial_imitation(env: gym.Env, demos: dict, kind: str = "airl", n_iterations: int = 50,
                          episodes_per_iteration: int = 1, random_iterations: int = 5, disc_steps: int = 5,
                          disc_batch: int = 128, disc_lr: float = 1e-3, recent_window: int = 1000,
                          updates_per_iteration: int | None = None, disc_hidden=(64, 64), sac_kwargs=None,
                          device=None, seed: int = 0, discriminator: Discriminator | None = None,
                          generator_reward_kind: str = "f") -> DeepAdversarialResult:
    """GAIL / AIRL / GAN-GCL with SAC as the generator on a fixed-horizon gymnasium env: Box observations,
    Box or Discrete actions.

    Each iteration: ``episodes_per_iteration`` episodes of the current policy (uniformly random for the
    first ``random_iterations``) go into SAC's buffer; ``disc_steps`` Adam steps on the discriminator
    (minibatches of ``disc_batch`` expert transitions and of the ``recent_window`` most recent policy
    transitions); ``updates_per_iteration`` SAC steps (default: one per new environment step) on the
    reward ``f`` (:func:`generator_reward`). ``sac_kwargs`` go to :class:`irlbook.deep.sac.SAC` (its ``gamma`` is
    also the discriminator's); for AIRL and GAN-GCL the temperature defaults to a fixed 1
    (``init_alpha=1, learn_alpha=False``), which makes SAC's objective ``E[sum_t log D - log(1 - D)]``. The device is chosen at run time (``device=None``: CUDA if available).
    ``discriminator``: start from this one (trained in place) instead of a fresh one of widths ``disc_hidden``.
    ``generator_reward_kind="logit"`` hands SAC ``l = f - log pi`` at its automatic temperature instead (the
    entropy counted twice; chapter 7's pitfall, for comparison only).
    """
    if generator_reward_kind not in ("f", "logit"):
        raise ValueError(f"generator_reward_kind must be 'f' or 'logit', got {generator_reward_kind!r}")
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")
    for name, value in (("n_iterations", n_iterations), ("episodes_per_iteration", episodes_per_iteration),
                        ("disc_steps", disc_steps), ("disc_batch", disc_batch), ("recent_window", recent_window)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
            raise ValueError(f"{name} must be a positive integer, got {value!r}")
    if not (np.isfinite(disc_lr) and disc_lr > 0):
        raise ValueError(f"disc_lr must be positive, got {disc_lr}")
    discrete = isinstance(env.action_space, gym.spaces.Discrete)
    if not (discrete or isinstance(env.action_space, gym.spaces.Box)):
        raise ValueError(f"env must have a Box or Discrete action space, got {env.action_space}")
    obs_dim = env.observation_space.shape[0]
    act_dim = int(env.action_space.n) if discrete else env.action_space.shape[0]
    expert = flatten_demos(demos, obs_dim, act_dim, discrete)
    if kind != "gail" and generator_reward_kind == "f":   # SAC on f at temperature 1 maximises E[sum_t l]
        sac_kwargs = {"init_alpha": 1.0, "learn_alpha": False, **(sac_kwargs or {})}
    agent = SAC(env.observation_space, env.action_space, device=device, seed=seed, **(sac_kwargs or {}))
    dev = agent.device
    if discriminator is None:
        disc = Discriminator(kind, obs_dim, act_dim, gamma=agent.gamma, hidden=disc_hidden, discrete=discrete).to(dev)
    elif (not isinstance(discriminator, Discriminator) or discriminator.kind != kind
          or (discriminator.obs_dim, discriminator.act_dim, discriminator.discrete) != (obs_dim, act_dim, discrete)):
        raise ValueError(f"discriminator must be a Discriminator of kind {kind!r} for obs_dim={obs_dim}, "
                         f"act_dim={act_dim}, discrete={discrete}")
    else:
        disc = discriminator.to(dev)
    opt = torch.optim.Adam(disc.parameters(), lr=disc_lr)
    expert_t = {k: torch.as_tensor(v, device=dev) for k, v in expert.items()}
    rng = np.random.default_rng(seed)
    result = DeepAdversarialResult(disc, agent)
    reward_fn = result.reward_fn() if generator_reward_kind == "f" else logit_reward(disc, agent)
    for it in range(n_iterations):
        out = agent.rollout(env, episodes_per_iteration, seed=seed + it * episodes_per_iteration,
                            random_actions=it < random_iterations)
        result.returns.append(float(out["returns"].mean()))
        for _ in range(disc_steps):
            ie = rng.integers(0, len(expert["obs"]), size=disc_batch)
            ip = _recent_indices(agent, recent_window, disc_batch, rng)
            e = {k: v[ie] for k, v in expert_t.items()}
            p = {k: torch.as_tensor(getattr(agent.buffer, b)[ip], device=dev)
                 for k, b in (("obs", "obs"), ("actions", "actions"), ("next_obs", "next_obs"),
                              ("terminated", "terminated"))}
            with torch.no_grad():
                lp_e = None if kind == "gail" else agent.log_prob(e["obs"], e["actions"])
                lp_p = None if kind == "gail" else agent.log_prob(p["obs"], p["actions"])
            le = disc.logit(e["obs"], e["actions"], e["next_obs"], lp_e, e["terminated"])
            lpol = disc.logit(p["obs"], p["actions"], p["next_obs"], lp_p, p["terminated"])
            loss = discriminator_loss(le, lpol)
            opt.zero_grad()
            loss.backward()
            opt.step()
        result.disc_loss.append(float(loss.detach()))
        result.expert_prob.append(float(torch.sigmoid(le.detach()).mean()))
        result.policy_prob.append(float(torch.sigmoid(lpol.detach()).mean()))
        n_new = out["actions"].shape[0] * out["actions"].shape[1]
        agent.update_many(updates_per_iteration or n_new, reward_fn)
    return result


def reoptimise(env: gym.Env, reward_fn, n_episodes: int, random_episodes: int = 5, sac_kwargs=None, device=None,
               seed: int = 0) -> tuple[SAC, list]:
    """SAC from scratch on ``env`` with the reward ``reward_fn`` (``None``: the env's true reward).

    Returns the agent and its per-episode *true* returns (the environment's reward; the learned one
    only drives the updates)."""
    if isinstance(n_episodes, bool) or not isinstance(n_episodes, (int, np.integer)) or n_episodes < 1:
        raise ValueError(f"n_episodes must be a positive integer, got {n_episodes!r}")
    agent = SAC(env.observation_space, env.action_space, device=device, seed=seed, **(sac_kwargs or {}))
    history = agent.train(env, n_episodes, random_episodes=random_episodes, reward_fn=reward_fn, seed=seed)
    return agent, history.returns


def evaluate(agent: SAC, env: gym.Env, n_episodes: int = 10, seed: int = 10_000, deterministic: bool = True) -> float:
    """Mean true return of ``agent`` over ``n_episodes`` (not stored in its buffer)."""
    return float(agent.rollout(env, n_episodes, seed=seed, deterministic=deterministic, store=False)["returns"].mean())
