"""Adversarial IRL in continuous spaces: GAIL, AIRL and GAN-GCL with torch discriminators and SAC (chapter 7).

The tabular file :mod:`irlbook.tabular.adversarial` checks the theory exactly; this one samples. A
discriminator ``D`` separates expert transitions ``(s, a, s')`` from the generator's, and the
generator -- soft actor-critic (:class:`irlbook.deep.sac.SAC`) -- maximises the discriminator's logit
``l = log D - log(1 - D)`` summed over time, as in the papers. The three discriminators differ in ``l``:

GAIL (Ho & Ermon 2016), unconstrained        ``l = d(s, a)``
GAN-GCL (Finn et al. 2016), state-action     ``l = f(s, a) - log pi(a|s)``
AIRL (Fu, Luo & Levine 2018), state-only     ``l = g(s) + gamma h(s') - h(s) - log pi(a|s)``

``D = exp f / (exp f + pi) = sigmoid(f - log pi)`` for the last two (:func:`structured_probability`).
The discriminator is trained by binary cross-entropy, expert = 1 (:func:`minibatch_discriminator_loss`), on
minibatches of expert transitions and of the generator's most recent transitions; ``log pi`` is
the *current* policy's density of the stored action.

The generator's reward is the energy ``f`` (:func:`generator_reward`), not ``l``: for AIRL and GAN-GCL
``E_pi[sum_t l] = E_pi[sum_t f] + sum_t E_pi[H(pi(.|s_t))]`` is SAC's own objective for the reward ``f`` at
temperature 1, so :func:`adversarial_imitation` runs SAC on ``f`` with its temperature fixed at 1 and the
entropy is counted once. (Handing ``l`` to SAC would add SAC's ``alpha H`` to the ``-log pi`` inside ``l``:
the policy would target ``f / (1 + alpha)``.) For GAIL ``f = d = l`` and SAC's automatic temperature plays
the role of GAIL's small causal-entropy bonus. SAC's ``reward_fn`` relabels every sampled batch with the
current ``f``, so the reward can change every iteration.

With ``generator="ppo"`` (:class:`irlbook.deep.ppo.PPO`, the on-policy generator: Ho & Ermon and Fu et al.
used TRPO) each iteration collects a batch with the current policy, trains the discriminator on it against
the expert's transitions, and takes one PPO update on the papers' rewards (:func:`policy_reward`): GAIL's
``-log(1 - D) = softplus(d)`` (Ho & Ermon 2016) or its logit form ``log D - log(1 - D) = d``; AIRL's and
GAN-GCL's ``log D - log(1 - D) = f - log pi(a|s)`` (Fu et al. 2018), whose ``-log pi`` is the entropy bonus.
The on-policy loop checkpoints everything (generator, normalisers, discriminator, optimisers, random states,
environments) and resumes from it (``AdversarialConfig.checkpoint``).

The learned reward re-optimised after a change of dynamics (:meth:`Discriminator.learned_reward`) is
``g(s')`` for AIRL (state-only: it cannot encode the old dynamics), ``f(s, a)`` for GAN-GCL and
``d(s, a)`` for GAIL (chapter 7 argues why the last two transfer badly).

Shapes: obs [B, obs_dim], actions [B, act_dim] (``Box``) or [B] integers (``Discrete``, one-hot encoded for
the state-action networks, ``act_dim`` = number of actions), next_obs [B, obs_dim], everything else [B].
Environments that terminate need a fixed horizon first (:class:`irlbook.envs.AbsorbingState`): the sign of
the logit reward would otherwise decide whether ending the episode early pays.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import gymnasium as gym
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from ..core.demonstrations import Demonstrations
from ..core.result import IRLResult, as_history
from ..tabular.adversarial import METHODS
from ..validation import (
    check_bool,
    check_choice,
    check_discount,
    check_hidden,
    check_instance,
    check_nonnegative,
    check_nonnegative_int,
    check_positive,
    check_positive_int,
)
from .bc import behavioural_cloning
from .networks import as_device, mlp
from .ppo import PPO, make_vector_env
from .ppo import evaluate as evaluate_ppo
from .sac import SAC

#: The generators of :func:`adversarial_imitation`: soft actor-critic (off-policy) or PPO (on-policy).
GENERATORS = ("sac", "ppo")
#: The generator's reward (:func:`policy_reward`): the energy ``f``, the logit ``l = log D - log(1 - D)``,
#: or GAIL's ``-log(1 - D)``.
REWARD_KINDS = ("f", "logit", "minus_log_one_minus_d")


# ---------------------------------------------------------------------------- discriminator forms
def structured_probability(f: torch.Tensor, log_pi: torch.Tensor) -> torch.Tensor:
    """``D = exp f / (exp f + pi)`` [B], computed stably as ``sigmoid(f - log pi)``."""
    if f.shape != log_pi.shape:
        raise ValueError(f"f and log_pi must have the same shape, got {tuple(f.shape)} and {tuple(log_pi.shape)}")
    return torch.sigmoid(f - log_pi)


def discriminator_loss_torch(logit: torch.Tensor, expert_weight, policy_weight) -> torch.Tensor:
    """The cross-entropy of :func:`irlbook.tabular.adversarial.discriminator_loss`,
    ``-sum w_E log D - sum w_pi log(1 - D)`` with ``D = sigmoid(logit)``, as a differentiable torch scalar."""
    return (expert_weight * F.softplus(-logit)).sum() + (policy_weight * F.softplus(logit)).sum()


def minibatch_discriminator_loss(expert_logit: torch.Tensor, policy_logit: torch.Tensor) -> torch.Tensor:
    """Binary cross-entropy ``-E_expert[log D] - E_policy[log(1 - D)]`` from logits [B_E], [B_pi].

    The tabular loss :func:`irlbook.tabular.adversarial.discriminator_loss` with the minibatches'
    empirical weights (``1/B_E`` on each expert transition, ``1/B_pi`` on each policy one).
    """
    if expert_logit.ndim != 1 or policy_logit.ndim != 1 or len(expert_logit) == 0 or len(policy_logit) == 0:
        raise ValueError(f"expert_logit and policy_logit must be non-empty 1-D tensors, "
                         f"got shapes {tuple(expert_logit.shape)} and {tuple(policy_logit.shape)}")
    n_e, n_p = len(expert_logit), len(policy_logit)
    expert_weight = torch.cat([expert_logit.new_full((n_e,), 1 / n_e), expert_logit.new_zeros(n_p)])
    policy_weight = torch.cat([expert_logit.new_zeros(n_e), expert_logit.new_full((n_p,), 1 / n_p)])
    return discriminator_loss_torch(torch.cat([expert_logit, policy_logit]), expert_weight, policy_weight)


class Discriminator(nn.Module):
    """The GAIL, AIRL or GAN-GCL discriminator (``method``, one of ``METHODS``) as MLPs of widths ``hidden``,
    initialised from a local generator seeded with ``seed``.

    ``gail``: ``d(s, a)``; ``gan_gcl``: ``f(s, a)``; ``airl``: ``g(s)`` and ``h(s)`` with
    ``f(s, a, s') = g(s) + gamma (1 - terminated) h(s') - h(s)`` (state-only reward).
    ``discrete=True``: actions are integers in ``range(act_dim)``, one-hot encoded.
    """

    def __init__(self, method: str, obs_dim: int, act_dim: int, gamma: float = 0.99, hidden=(64, 64),
                 discrete: bool = False, seed: int = 0):
        super().__init__()
        self.method = check_choice(method, "method", METHODS)
        self.obs_dim, self.act_dim = check_positive_int(obs_dim, "obs_dim"), check_positive_int(act_dim, "act_dim")
        self.gamma, self.discrete = check_discount(gamma, "gamma"), check_bool(discrete, "discrete")
        hidden = check_hidden(hidden)
        generator = torch.Generator().manual_seed(check_nonnegative_int(seed, "seed"))
        if method == "airl":
            self.g = mlp(self.obs_dim, 1, hidden, generator=generator)
            self.h = mlp(self.obs_dim, 1, hidden, generator=generator)
        else:
            self.net = mlp(self.obs_dim + self.act_dim, 1, hidden, generator=generator)

    def normalise_observations(self, mean, std) -> Discriminator:
        """Standardise every observation input: the networks see ``(obs - mean) / std`` (``mean``, ``std``
        [obs_dim], e.g. the demonstrations' statistics; ``std`` floored at 1e-3). The two vectors are fixed
        buffers, saved with the parameters and part of the learned reward. Returns ``self``."""
        mean = torch.as_tensor(mean, dtype=torch.float32).detach().clone()
        std = torch.as_tensor(std, dtype=torch.float32).detach().clone()
        if mean.shape != (self.obs_dim,) or std.shape != (self.obs_dim,):
            raise ValueError(f"mean and std must have shape ({self.obs_dim},), got {tuple(mean.shape)} and "
                             f"{tuple(std.shape)}")
        if not (torch.isfinite(mean).all() and torch.isfinite(std).all()) or (std < 0).any():
            raise ValueError("mean must be finite and std finite and non-negative")
        device = next(self.parameters()).device
        self.register_buffer("obs_mean", mean.to(device))
        self.register_buffer("obs_std", std.clamp(min=1e-3).to(device))
        return self

    def _inputs(self, obs):
        """The observations as the networks see them (standardised after :meth:`normalise_observations`)."""
        return (obs - self.obs_mean) / self.obs_std if hasattr(self, "obs_mean") else obs

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
        return torch.cat([self._inputs(obs), actions], -1)

    def g_h(self, obs, next_obs):
        """AIRL's ``g(s)``, ``h(s)``, ``h(s')`` [B] each."""
        if self.method != "airl":
            raise ValueError(f"g_h needs method='airl', this discriminator is {self.method!r}")
        obs, next_obs = self._inputs(obs), self._inputs(next_obs)
        return self.g(obs)[:, 0], self.h(obs)[:, 0], self.h(next_obs)[:, 0]

    def f(self, obs, actions, next_obs, terminated=None) -> torch.Tensor:
        """The energy [B]: ``d(s,a)`` (GAIL), ``f(s,a)`` (GAN-GCL) or ``g(s) + gamma h(s') - h(s)`` (AIRL)."""
        self._check(obs, actions, next_obs)
        if self.method != "airl":
            return self.net(self._state_action(obs, actions))[:, 0]
        g, h, h_next = self.g_h(obs, next_obs)
        not_done = 1.0 if terminated is None else 1.0 - terminated
        return g + self.gamma * not_done * h_next - h

    def logit(self, obs, actions, next_obs, log_pi=None, terminated=None) -> torch.Tensor:
        """``l = log D - log(1 - D)`` [B]: ``d`` for GAIL, ``f - log pi`` otherwise (``log_pi`` [B] needed)."""
        f = self.f(obs, actions, next_obs, terminated)
        if self.method == "gail":
            return f
        if log_pi is None or log_pi.shape != f.shape:
            raise ValueError(f"log_pi must be a tensor of shape {tuple(f.shape)} for method={self.method!r}")
        return f - log_pi

    def learned_reward(self, obs, actions, next_obs) -> torch.Tensor:
        """The reward [B] to re-optimise in new dynamics: ``g(s')`` (AIRL), ``f(s, a)``, ``d(s, a)``."""
        self._check(obs, actions, next_obs)
        if self.method == "airl":
            return self.g(self._inputs(next_obs))[:, 0]
        return self.net(self._state_action(obs, actions))[:, 0]


# ---------------------------------------------------------------------------- the loop
@dataclass(kw_only=True)
class DeepAdversarialResult(IRLResult):
    """Outcome of :func:`adversarial_imitation` (an :class:`~irlbook.core.result.IRLResult`).

    ``reward``: the learned reward to re-optimise, ``reward(obs, actions, next_obs) -> [B]``
    (:meth:`Discriminator.learned_reward`, frozen, no gradient); ``policy``: the generator (SAC);
    ``discriminator``; ``history`` per iteration: ``returns`` (mean true return of the iteration's
    episodes), ``disc_loss``, ``expert_prob`` and ``policy_prob`` (mean D on each side).
    """

    discriminator: Discriminator


def generator_reward(disc: Discriminator):
    """``reward_fn(obs, actions, next_obs) = f`` [B] for SAC: ``d(s, a)``, ``f(s, a)`` or ``g(s) + gamma h(s') - h(s)``.

    With SAC at temperature 1 this maximises ``E[sum_t log D - log(1 - D)]`` for AIRL and GAN-GCL (module doc)."""
    def reward(obs, actions, next_obs):
        with torch.no_grad():
            return disc.f(obs, actions, next_obs)
    return reward


def learned_reward(disc: Discriminator):
    """``reward_fn(obs, actions, next_obs)`` [B], frozen: :meth:`Discriminator.learned_reward` (``g(s')`` for AIRL,
    ``f(s, a)`` for GAN-GCL, ``d(s, a)`` for GAIL), to re-optimise in new dynamics."""
    def reward(obs, actions, next_obs):
        with torch.no_grad():
            return disc.learned_reward(obs, actions, next_obs)
    return reward


def policy_reward(disc: Discriminator, kind: str, agent=None, entropy_weight: float = 1.0):
    """The generator's ``reward_fn(obs, actions, next_obs)`` [B] (no gradient) of kind ``kind``:

    ``"f"``: the energy ``f`` (:func:`generator_reward`); ``"logit"``: ``l = log D - log(1 - D)``, i.e. ``d``
    (GAIL) or ``f - log pi(a|s)`` (AIRL, GAN-GCL; ``agent.log_prob`` of the current policy);
    ``"minus_log_one_minus_d"``: ``-log(1 - D) = softplus(l)`` (Ho & Ermon 2016's GAIL reward).

    ``entropy_weight`` (AIRL and GAN-GCL, kind ``"logit"``): the reward is ``f - entropy_weight * log pi``, whose
    expected sum is the return of ``f`` plus ``entropy_weight`` times the policy's entropy: 1 is the logit above
    (the soft-optimal objective at temperature 1), 0 is ``f`` alone; Fu et al.'s code trains its generator on
    the state-only reward with an entropy bonus of 0.1."""
    kind = check_choice(kind, "kind", REWARD_KINDS)
    entropy_weight = check_nonnegative(entropy_weight, "entropy_weight")
    if kind != "f" and disc.method != "gail" and agent is None:
        raise ValueError(f"agent (with log_prob) is needed for kind={kind!r} and method={disc.method!r}")
    if entropy_weight != 1.0 and (kind != "logit" or disc.method == "gail"):
        raise ValueError(f"entropy_weight applies to kind='logit' of AIRL and GAN-GCL only, got kind={kind!r} and "
                         f"method={disc.method!r}")
    if kind == "f":
        return generator_reward(disc)

    def reward(obs, actions, next_obs):
        with torch.no_grad():
            if disc.method == "gail":
                logit = disc.logit(obs, actions, next_obs)
                return logit if kind == "logit" else F.softplus(logit)
            log_pi = agent.log_prob(obs, actions)
            if kind == "logit":
                return disc.f(obs, actions, next_obs) - entropy_weight * log_pi
            return F.softplus(disc.logit(obs, actions, next_obs, log_pi))
    return reward


def logit_reward(disc: Discriminator, agent: SAC):
    """``reward_fn = l = f - log pi`` (current policy): the double-counting variant, kept to measure the pitfall.

    SAC at temperature ``alpha`` on ``l`` targets the soft-optimal policy of ``f / (1 + alpha)`` (chapter 7)."""
    def reward(obs, actions, next_obs):
        with torch.no_grad():
            log_pi = None if disc.method == "gail" else agent.log_prob(obs, actions)
            return disc.logit(obs, actions, next_obs, log_pi)
    return reward


@dataclass
class AdversarialConfig:
    """Settings of :func:`adversarial_imitation` (CleanRL ``Args`` style); validated on construction.

    ``method``: one of ``METHODS`` ("gail", "gan_gcl", "airl"). Each of ``n_iterations`` iterations:
    ``episodes_per_iteration`` episodes of the current policy (uniformly random for the first
    ``random_iterations``) go into SAC's buffer; ``disc_steps`` Adam steps (step ``disc_lr``) on the
    discriminator with minibatches of ``disc_batch`` expert transitions and of the ``recent_window``
    most recent policy transitions; ``updates_per_iteration`` SAC steps (``None``: one per new
    environment step) on the generator reward. ``disc_hidden``: discriminator widths; ``normalise_obs``: a fresh
    discriminator standardises its observation inputs by the demonstrations' mean and standard deviation
    (:meth:`Discriminator.normalise_observations`; fixed, so the learned reward is one function); ``sac_kwargs``:
    :class:`~irlbook.deep.sac.SAC` settings (its ``gamma`` is also the discriminator's; for AIRL and
    GAN-GCL the temperature defaults to a fixed 1); ``generator_reward_kind``: ``"f"`` (the energy) or
    ``"logit"`` (``l = f - log pi`` at SAC's automatic temperature: chapter 7's pitfall, for comparison);
    ``seed``; ``device`` (``None``: CUDA when present).

    ``generator``: ``"sac"`` (above) or ``"ppo"``: then each iteration is one PPO batch (``ppo_kwargs``:
    :class:`~irlbook.deep.ppo.PPO` settings, e.g. ``n_steps``; its learning rate anneals over the
    ``n_iterations`` batches), ``disc_steps`` discriminator steps on minibatches of it, one PPO update;
    ``episodes_per_iteration``, ``random_iterations``, ``recent_window``, ``updates_per_iteration`` and
    ``sac_kwargs`` are then unused. ``policy_replay`` (PPO only): when positive, a uniform sample of that many
    transitions of all earlier iterations' policies is kept (reservoir sampling), and half of each policy
    minibatch is drawn from it, half from the current batch (Fu et al.'s "fusion": the discriminator keeps
    separating the expert from past policies too, not only from the current one; checkpointed until the run
    finishes, then dropped from its file). ``entropy_weight`` (PPO
    only; AIRL and GAN-GCL with the ``"logit"`` reward; ignored for GAIL): the generator's reward is
    ``f - entropy_weight * log pi`` (:func:`policy_reward`; 1, the default, is the papers' logit). ``bc_epochs``
    (PPO only): when positive, a fresh run first fits the generator's policy to the demonstrations by behavioural
    cloning for that many epochs (:func:`~irlbook.deep.bc.behavioural_cloning`), so that the adversarial game
    starts from a policy near the expert's rather than from a random one (not in the papers; 0, the default, is
    theirs).
    ``generator_reward_kind`` (one of ``REWARD_KINDS``) defaults to ``"f"``
    for SAC and, for PPO, to the papers' ``"minus_log_one_minus_d"`` (GAIL) or ``"logit"`` (AIRL, GAN-GCL).
    ``checkpoint`` (PPO only): a file written every ``checkpoint_every`` seconds and at the end; a run
    whose checkpoint exists resumes from it. ``time_limit`` (PPO only, seconds): stop at the first iteration
    boundary after it, at least one iteration in (the history then has fewer than ``n_iterations`` entries;
    with a checkpoint, run again to go on).
    """

    method: str = "airl"
    n_iterations: int = 50
    episodes_per_iteration: int = 1
    random_iterations: int = 5
    disc_steps: int = 5
    disc_batch: int = 128
    disc_lr: float = 1e-3
    recent_window: int = 1000
    updates_per_iteration: int | None = None
    disc_hidden: tuple = (64, 64)
    normalise_obs: bool = False
    policy_replay: int = 0
    entropy_weight: float = 1.0
    bc_epochs: int = 0
    sac_kwargs: dict = field(default_factory=dict)
    generator_reward_kind: str | None = None
    seed: int = 0
    device: object = None
    generator: str = "sac"
    ppo_kwargs: dict = field(default_factory=dict)
    checkpoint: object = None
    checkpoint_every: float = 300.0
    time_limit: float | None = None

    def __post_init__(self):
        self.method = check_choice(self.method, "method", METHODS)
        self.generator = check_choice(self.generator, "generator", GENERATORS)
        if self.generator_reward_kind is None:
            self.generator_reward_kind = ("f" if self.generator == "sac" else
                                          "minus_log_one_minus_d" if self.method == "gail" else "logit")
        kinds = ("f", "logit") if self.generator == "sac" else REWARD_KINDS
        self.generator_reward_kind = check_choice(self.generator_reward_kind, "generator_reward_kind", kinds)
        self.ppo_kwargs = dict(check_instance(self.ppo_kwargs if self.ppo_kwargs is not None else {}, dict,
                                              "ppo_kwargs"))
        if self.checkpoint is not None:
            if self.generator != "ppo":
                raise ValueError("checkpoint: only the PPO generator (generator='ppo') checkpoints")
            self.checkpoint = Path(check_instance(self.checkpoint, (str, Path), "checkpoint"))
        self.checkpoint_every = check_nonnegative(self.checkpoint_every, "checkpoint_every")
        if self.time_limit is not None:
            if self.generator != "ppo":
                raise ValueError("time_limit: only the PPO generator (generator='ppo') stops early and resumes")
            self.time_limit = check_nonnegative(self.time_limit, "time_limit")
        for name in ("n_iterations", "episodes_per_iteration", "disc_steps", "disc_batch", "recent_window"):
            setattr(self, name, check_positive_int(getattr(self, name), name))
        self.entropy_weight = check_nonnegative(self.entropy_weight, "entropy_weight")
        if self.entropy_weight != 1.0 and self.generator != "ppo":
            raise ValueError("entropy_weight: only the PPO generator (generator='ppo') uses it (SAC: its temperature)")
        if self.policy_replay and self.generator != "ppo":
            raise ValueError("policy_replay: only the PPO generator (generator='ppo') keeps a replay of past policies")
        if self.bc_epochs and self.generator != "ppo":
            raise ValueError("bc_epochs: only the PPO generator (generator='ppo') starts from a cloned policy")
        for name in ("random_iterations", "seed", "policy_replay", "bc_epochs"):
            setattr(self, name, check_nonnegative_int(getattr(self, name), name))
        if self.updates_per_iteration is not None:
            self.updates_per_iteration = check_nonnegative_int(self.updates_per_iteration, "updates_per_iteration")
        self.disc_lr = check_positive(self.disc_lr, "disc_lr")
        self.disc_hidden = check_hidden(self.disc_hidden, "disc_hidden")
        self.normalise_obs = check_bool(self.normalise_obs, "normalise_obs")
        self.sac_kwargs = dict(check_instance(self.sac_kwargs if self.sac_kwargs is not None else {}, dict,
                                              "sac_kwargs"))
        self.device = as_device(self.device)

    @property
    def logit_entropy_weight(self) -> float:
        """The entropy weight :func:`policy_reward` applies: ``entropy_weight`` for AIRL and GAN-GCL with the
        ``"logit"`` reward, 1 (the reward as it is) for every other method and reward."""
        applies = self.generator_reward_kind == "logit" and self.method != "gail"
        return self.entropy_weight if applies else 1.0


def _discriminator_step(disc, opt, agent, method: str, e: dict, p: dict):
    """One gradient step of the discriminator on an expert minibatch ``e`` and a policy minibatch ``p``
    (dicts of ``obs``, ``actions``, ``next_obs``, ``terminated`` tensors [B, ...]); AIRL and GAN-GCL need the
    generator's log-probabilities (no gradient to the generator). Returns the loss and both logits [B]."""
    with torch.no_grad():
        lp_e = None if method == "gail" else agent.log_prob(e["obs"], e["actions"])
        lp_p = None if method == "gail" else agent.log_prob(p["obs"], p["actions"])
    le = disc.logit(e["obs"], e["actions"], e["next_obs"], lp_e, e["terminated"])
    lpol = disc.logit(p["obs"], p["actions"], p["next_obs"], lp_p, p["terminated"])
    loss = minibatch_discriminator_loss(le, lpol)
    opt.zero_grad()
    loss.backward()
    opt.step()
    return loss, le, lpol


def _record_discriminator(history: dict, loss, le, lpol) -> None:
    """Append the last step's loss and mean D on expert and policy samples to ``history``."""
    history["disc_loss"].append(float(loss.detach()))
    history["expert_prob"].append(float(torch.sigmoid(le.detach()).mean()))
    history["policy_prob"].append(float(torch.sigmoid(lpol.detach()).mean()))


def adversarial_imitation(env: gym.Env, demos: Demonstrations, config: AdversarialConfig | None = None,
                          discriminator: Discriminator | None = None) -> DeepAdversarialResult:
    """GAIL / AIRL / GAN-GCL (``config.method``) with SAC as the generator on a fixed-horizon gymnasium env:
    Box observations, Box or Discrete actions; ``demos`` continuous :class:`Demonstrations`
    (:meth:`~Demonstrations.from_rollouts`), settings ``config`` (:class:`AdversarialConfig`; defaults if ``None``).

    ``discriminator``: start from this one (trained in place) instead of a fresh one. Every random draw comes
    from generators seeded with ``config.seed`` (torch's global random state is not touched).
    """
    cfg = AdversarialConfig() if config is None else check_instance(config, AdversarialConfig, "config")
    method, seed = cfg.method, cfg.seed
    demos = check_instance(demos, Demonstrations, "demos")
    if isinstance(env, gym.vector.VectorEnv):
        if cfg.generator != "ppo":
            raise ValueError("env: a vector environment needs generator='ppo'")
        observation_space, action_space = env.single_observation_space, env.single_action_space
    else:
        observation_space, action_space = env.observation_space, env.action_space
    discrete = isinstance(action_space, gym.spaces.Discrete)
    if not (discrete or isinstance(action_space, gym.spaces.Box)):
        raise ValueError(f"env must have a Box or Discrete action space, got {action_space}")
    obs_dim = observation_space.shape[0]
    act_dim = int(action_space.n) if discrete else action_space.shape[0]
    if demos.kind != "continuous":
        raise ValueError("demos must be continuous demonstrations (Demonstrations.continuous or .from_rollouts)")
    expert = demos.transitions()
    if expert["obs"].shape[1] != obs_dim:
        raise ValueError(f"demos have observations of size {expert['obs'].shape[1]}, the environment {obs_dim}")
    if discrete != (expert["actions"].ndim == 1):
        raise ValueError(f"demos have {'integer' if expert['actions'].ndim == 1 else 'vector'} actions, the "
                         f"environment's action space is {action_space}")
    if discrete and expert["actions"].max() >= act_dim:
        raise ValueError(f"discrete demo actions must lie in range({act_dim})")
    if not discrete and expert["actions"].shape[1] != act_dim:
        raise ValueError(f"demos have actions of size {expert['actions'].shape[1]}, the environment {act_dim}")
    if cfg.generator == "ppo":
        return _on_policy_imitation(env, expert, cfg, discriminator, (obs_dim, act_dim, discrete))
    sac_kwargs = cfg.sac_kwargs
    if method != "gail" and cfg.generator_reward_kind == "f":   # SAC on f at temperature 1 maximises E[sum_t l]
        sac_kwargs = {"init_alpha": 1.0, "learn_alpha": False, **sac_kwargs}
    agent = SAC(env.observation_space, env.action_space, device=cfg.device, seed=seed, **sac_kwargs)
    dev = agent.device
    disc = _discriminator(discriminator, cfg, (obs_dim, act_dim, discrete), agent.gamma, dev, expert["obs"])
    opt = torch.optim.Adam(disc.parameters(), lr=cfg.disc_lr)
    expert_t = {k: torch.as_tensor(v, device=dev) for k, v in expert.items()}
    rng = np.random.default_rng(seed)
    reward_fn = generator_reward(disc) if cfg.generator_reward_kind == "f" else logit_reward(disc, agent)
    history = {k: [] for k in ("returns", "disc_loss", "expert_prob", "policy_prob")}
    for it in range(cfg.n_iterations):
        out = agent.rollout(env, cfg.episodes_per_iteration, seed=seed + it * cfg.episodes_per_iteration,
                            random_actions=it < cfg.random_iterations)
        history["returns"].append(float(out["returns"].mean()))
        for _ in range(cfg.disc_steps):
            ie = rng.integers(0, len(expert["obs"]), size=cfg.disc_batch)
            ip = agent.buffer.recent_indices(cfg.recent_window, cfg.disc_batch, rng)
            e = {k: v[ie] for k, v in expert_t.items()}
            p = {k: torch.as_tensor(getattr(agent.buffer, b)[ip], device=dev)
                 for k, b in (("obs", "obs"), ("actions", "actions"), ("next_obs", "next_obs"),
                              ("terminated", "terminated"))}
            loss, le, lpol = _discriminator_step(disc, opt, agent, method, e, p)
        _record_discriminator(history, loss, le, lpol)
        n_new = out["actions"].shape[0] * out["actions"].shape[1]
        agent.update_many(n_new if cfg.updates_per_iteration is None else cfg.updates_per_iteration, reward_fn)
    return DeepAdversarialResult(reward=learned_reward(disc), policy=agent, history=as_history(**history),
                                 discriminator=disc)


class _Reservoir:
    """A uniform sample of at most ``capacity`` of all transitions ever added (reservoir sampling, Vitter's
    algorithm R): dicts of arrays [N, ...] in, minibatches out; its state is a dict of arrays."""

    def __init__(self, capacity: int):
        self.capacity, self.seen, self.data = capacity, 0, None

    @property
    def size(self) -> int:
        return min(self.seen, self.capacity)

    def add(self, transitions: dict, rng: np.random.Generator) -> None:
        n = len(next(iter(transitions.values())))
        if self.data is None:
            self.data = {k: np.zeros((self.capacity, *v.shape[1:]), v.dtype) for k, v in transitions.items()}
        # the i-th new transition is number seen + i: kept at slot seen + i while there is room, then at a
        # uniform slot in [0, seen + i] when that slot is below capacity (later ones overwrite earlier ones)
        number = self.seen + np.arange(n)
        slot = np.where(number < self.capacity, number, rng.integers(0, number + 1))
        keep = slot < self.capacity
        for k, v in transitions.items():
            self.data[k][slot[keep]] = v[keep]
        self.seen += n

    def sample(self, n: int, rng: np.random.Generator) -> dict:
        i = rng.integers(0, self.size, size=n)
        return {k: v[i] for k, v in self.data.items()}

    def state_dict(self) -> dict:
        return {"capacity": self.capacity, "seen": self.seen,
                "data": None if self.data is None else {k: v[:self.size].copy() for k, v in self.data.items()}}

    def load_state_dict(self, state: dict) -> None:
        if state is None or state["capacity"] != self.capacity:
            raise ValueError(f"checkpoint: its policy replay does not match policy_replay={self.capacity}")
        self.seen, self.data = state["seen"], None
        if state["data"] is not None:
            self.data = {k: np.zeros((self.capacity, *v.shape[1:]), v.dtype) for k, v in state["data"].items()}
            for k, v in state["data"].items():
                self.data[k][:len(v)] = v


def _discriminator(discriminator, cfg: AdversarialConfig, dims: tuple, gamma: float, device,
                   expert_obs: np.ndarray) -> Discriminator:
    """A fresh discriminator for ``cfg`` (``expert_obs`` [N, obs_dim]: the demonstrations' observations), or the
    given one after checking that it fits."""
    obs_dim, act_dim, discrete = dims
    if discriminator is None:
        disc = Discriminator(cfg.method, obs_dim, act_dim, gamma=gamma, hidden=cfg.disc_hidden, discrete=discrete,
                             seed=cfg.seed)
        if cfg.normalise_obs:
            disc.normalise_observations(expert_obs.mean(0), expert_obs.std(0))
        return disc.to(device)
    if (not isinstance(discriminator, Discriminator) or discriminator.method != cfg.method
            or (discriminator.obs_dim, discriminator.act_dim, discriminator.discrete) != dims):
        raise ValueError(f"discriminator must be a Discriminator of method {cfg.method!r} for obs_dim={obs_dim}, "
                         f"act_dim={act_dim}, discrete={discrete}")
    return discriminator.to(device)


def _on_policy_imitation(env, expert: dict, cfg: AdversarialConfig, discriminator, dims) -> DeepAdversarialResult:
    """The loop of :func:`adversarial_imitation` with PPO as the generator (module doc), resumable."""
    envs = env if isinstance(env, gym.vector.VectorEnv) else make_vector_env(lambda: env, 1)
    n_envs = envs.num_envs
    ppo_kwargs = {"n_steps": 2048 // n_envs if n_envs <= 2048 else 1, **cfg.ppo_kwargs}
    ppo_kwargs.setdefault("total_steps", cfg.n_iterations * ppo_kwargs["n_steps"] * n_envs)
    agent = PPO(envs.single_observation_space, envs.single_action_space, device=cfg.device, seed=cfg.seed,
                **ppo_kwargs)
    dev = agent.device
    disc = _discriminator(discriminator, cfg, dims, agent.gamma, dev, expert["obs"])
    opt = torch.optim.Adam(disc.parameters(), lr=cfg.disc_lr)
    expert_t = {k: torch.as_tensor(v, device=dev) for k, v in expert.items()}
    rng = np.random.default_rng(cfg.seed)
    reward_fn = policy_reward(disc, cfg.generator_reward_kind, agent, cfg.logit_entropy_weight)
    keys = ("returns", "disc_loss", "expert_prob", "policy_prob")
    history, start = {k: [] for k in keys}, 0
    replay = _Reservoir(cfg.policy_replay) if cfg.policy_replay else None
    resume = cfg.checkpoint is not None and cfg.checkpoint.is_file()
    if cfg.bc_epochs and not resume:     # the warm start (a resumed run has it in its checkpoint)
        behavioural_cloning(agent, expert["obs"], expert["actions"], cfg.bc_epochs, cfg.seed)
    if resume:
        state = torch.load(cfg.checkpoint, map_location=dev, weights_only=False)
        agent.load_state_dict(state["agent"], envs)
        disc.load_state_dict(state["discriminator"])
        opt.load_state_dict(state["disc_optimizer"])
        rng.bit_generator.state = state["rng"]
        history, start = state["history"], state["iteration"]
        if replay is not None and start < cfg.n_iterations:
            replay.load_state_dict(state["replay"])

    def save(iteration):
        state = {"agent": agent.state_dict(envs), "discriminator": disc.state_dict(),
                 "disc_optimizer": opt.state_dict(), "rng": rng.bit_generator.state, "history": history,
                 "iteration": iteration,      # a finished run's file drops the replay (megabytes) it no longer needs
                 "replay": None if replay is None or iteration >= cfg.n_iterations else replay.state_dict()}
        cfg.checkpoint.parent.mkdir(parents=True, exist_ok=True)
        tmp = cfg.checkpoint.with_suffix(cfg.checkpoint.suffix + ".tmp")
        torch.save(state, tmp)
        tmp.replace(cfg.checkpoint)

    started = last_save = time.monotonic()
    iteration = start
    for it in range(start, cfg.n_iterations):
        n_episodes = len(agent.history.returns)
        batch = agent.collect(envs)
        finished = agent.history.returns[n_episodes:]
        history["returns"].append(float(np.mean(finished)) if finished else float("nan"))
        policy_np = {k: batch[b].reshape(-1, *batch[b].shape[2:])
                     for k, b in (("obs", "obs"), ("actions", "executed"), ("next_obs", "next_obs"),
                                  ("terminated", "terminated"))}
        policy_np["terminated"] = policy_np["terminated"].astype(np.float32)
        policy_t = {k: torch.as_tensor(v, device=dev) for k, v in policy_np.items()}
        n_policy = len(policy_t["obs"])
        n_old = 0 if replay is None or replay.size == 0 else cfg.disc_batch // 2
        for _ in range(cfg.disc_steps):
            ie = torch.as_tensor(rng.integers(0, len(expert["obs"]), size=cfg.disc_batch), device=dev)
            ip = torch.as_tensor(rng.integers(0, n_policy, size=cfg.disc_batch - n_old), device=dev)
            e = {k: v[ie] for k, v in expert_t.items()}
            p = {k: v[ip] for k, v in policy_t.items()}
            if n_old:
                old = replay.sample(n_old, rng)
                p = {k: torch.cat([v, torch.as_tensor(old[k], device=dev)]) for k, v in p.items()}
            loss, le, lpol = _discriminator_step(disc, opt, agent, cfg.method, e, p)
        _record_discriminator(history, loss, le, lpol)
        if replay is not None:
            replay.add(policy_np, rng)
        agent.update(batch, reward_fn)
        iteration = it + 1
        if cfg.checkpoint is not None and time.monotonic() - last_save >= cfg.checkpoint_every:
            save(iteration)
            last_save = time.monotonic()
        if cfg.time_limit is not None and time.monotonic() - started >= cfg.time_limit:
            break
    if cfg.checkpoint is not None:
        save(iteration)
    return DeepAdversarialResult(reward=learned_reward(disc), policy=agent, history=as_history(**history),
                                 discriminator=disc)


def reoptimise(env: gym.Env, reward_fn, n_episodes: int, random_episodes: int = 5, sac_kwargs=None, device=None,
               seed: int = 0) -> tuple[SAC, list]:
    """SAC from scratch on ``env`` with the reward ``reward_fn`` (``None``: the env's true reward).

    Returns the agent and its per-episode *true* returns (the environment's reward; the learned one
    only drives the updates)."""
    n_episodes = check_positive_int(n_episodes, "n_episodes")
    agent = SAC(env.observation_space, env.action_space, device=device, seed=seed, **(sac_kwargs or {}))
    history = agent.train(env, n_episodes, random_episodes=random_episodes, reward_fn=reward_fn, seed=seed)
    return agent, history.returns


def evaluate(agent, env: gym.Env, n_episodes: int = 10, seed: int = 10_000, deterministic: bool = True) -> float:
    """Mean true return of ``agent`` (SAC or PPO) over ``n_episodes`` (not stored in SAC's buffer)."""
    if isinstance(agent, PPO):
        return evaluate_ppo(agent, env, n_episodes, seed, deterministic)
    return float(agent.rollout(env, n_episodes, seed=seed, deterministic=deterministic, store=False)["returns"].mean())
