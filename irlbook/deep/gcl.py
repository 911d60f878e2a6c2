"""Guided cost learning: sample-based MaxEnt IRL with importance weights (Finn et al. 2016; chapter 6).

The surrogate loss (the negative of the chapter's sampled log-likelihood) on demonstrations
``D`` and a background set ``B`` of trajectories with proposal log-densities ``log q~``:

    loss(psi) = -(1/|D|) sum_{tau in D} R_psi(tau) + log (1/|B|) sum_{tau in B} exp(R_psi(tau) - log q~(tau))

Its gradient is the expert term minus the self-normalised estimate of ``grad log Z``.
The dynamics never appear: ``log q~(tau) = log sum_k (n_k / n) pi_k(tau)`` with
``pi_k(tau) = prod_t pi_k(a_t | s_t)``, the mixture of the K policies that sampled ``B`` (policy k
contributed n_k of the n trajectories). Demonstrations are added to ``B`` (which bounds the loss from
below); their sampler is unknown, so it enters the mixture as a behavioural-cloning fit ``pi_BC`` of
the demonstrations (a rough density estimate of the demonstrator, as in Finn et al.).

With several start states the trajectory model tilts the start distribution by ``exp V_0(s_0)``;
``condition_on_start=True`` fits the conditional model ``p(tau | s_0) = q(tau | s_0) exp(R) / Z(s_0)``
instead, with one self-normalised estimate of ``Z(s_0)`` per distinct start state (a few fixed starts).

Demonstrations arrive as one continuous :class:`~irlbook.core.demonstrations.Demonstrations`; inside,
trajectories are arrays ``states`` [n, T+1, obs_dim] (``demos.trajectory_observations()``) and ``actions``
[n, T, act_dim] (or [n, T] ints). Settings are a :class:`GCLConfig`; every random draw comes from generators
seeded with its ``seed`` (torch's global random state is never touched).
A state-only reward scores the states reached, ``R(tau) = sum_{t=1}^{T} r(s_t)``; a state-action
reward scores ``sum_{t=0}^{T-1} r(s_t, a_t)``.
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass, field

import numpy as np
import torch
import torch.nn as nn

from ..core.demonstrations import Demonstrations
from ..core.result import IRLResult, as_history
from ..tabular.importance import effective_sample_size
from ..validation import (
    check_bool,
    check_hidden,
    check_instance,
    check_nonnegative,
    check_nonnegative_int,
    check_positive,
    check_positive_int,
    check_real,
)
from .networks import as_device, mlp
from .sac import SAC


class RewardNetwork(nn.Module):
    """An MLP reward ``r_psi(s)`` (``action_dim=0``) or ``r_psi(s, a)``: input [B, obs_dim + action_dim] -> [B].

    Initialised from a local generator seeded with ``seed`` (:func:`irlbook.deep.networks.mlp`)."""

    def __init__(self, obs_dim: int, action_dim: int = 0, hidden=(32, 32), seed: int = 0, device=None):
        super().__init__()
        action_dim = check_nonnegative_int(action_dim, "action_dim")
        self.net = mlp(check_positive_int(obs_dim, "obs_dim") + action_dim, 1, hidden, generator=seed, device=device)
        self.state_only = action_dim == 0

    def forward(self, x):
        return self.net(x)[..., 0]


def step_rewards(reward_net: nn.Module, states, actions) -> torch.Tensor:
    """Per-step rewards [n, T]: ``r(s_{t+1})`` (state-only) or ``r(s_t, a_t)``."""
    device = next(reward_net.parameters()).device
    states = torch.as_tensor(states, dtype=torch.float32, device=device)
    if reward_net.state_only:
        return reward_net(states[:, 1:])
    actions = torch.as_tensor(actions, dtype=torch.float32, device=device)
    if actions.ndim == 2:
        raise ValueError("a state-action reward needs vector actions [n, T, act_dim]")
    return reward_net(torch.cat([states[:, :-1], actions], -1))


def gcl_loss(demo_returns: torch.Tensor, background_returns: torch.Tensor, background_log_proposal: torch.Tensor,
             demo_groups=None, background_groups=None):
    """``-mean(R_demo) + log mean_j exp(R_j - log q~_j)``; returns (loss, log-weights [M], detached).

    demo_returns [N]; background_returns [M]; background_log_proposal [M] (no gradient).
    With integer ``demo_groups`` [N] and ``background_groups`` [M] (start-state ids), the
    log-partition term is estimated per group and averaged over the demonstrations' groups:
    ``-mean(R_demo) + mean_i log Z^(g_i)``. Every demo group must occur in the background.
    """
    if demo_returns.numel() == 0 or background_returns.numel() == 0:
        raise ValueError("demo_returns and background_returns must be non-empty")
    if background_returns.shape != background_log_proposal.shape:
        raise ValueError(f"background_returns {tuple(background_returns.shape)} and background_log_proposal "
                         f"{tuple(background_log_proposal.shape)} must have the same shape")
    log_w = background_returns - background_log_proposal.detach()
    if demo_groups is None:
        log_z = torch.logsumexp(log_w, 0) - math.log(log_w.numel())
        return -demo_returns.mean() + log_z, log_w.detach()
    demo_groups, background_groups = np.asarray(demo_groups), np.asarray(background_groups)
    groups, counts = np.unique(demo_groups, return_counts=True)
    log_z = []                       # one log Z^(g) per distinct group, weighted by its share of the demos
    for g, count in zip(groups, counts, strict=True):
        members = torch.as_tensor(np.flatnonzero(background_groups == g), device=log_w.device)
        if members.numel() == 0:
            raise ValueError(f"demo group {g} has no background trajectory")
        log_z.append(count / len(demo_groups) * (torch.logsumexp(log_w[members], 0) - math.log(members.numel())))
    return -demo_returns.mean() + torch.stack(log_z).sum(), log_w.detach()


def start_groups(start_states, reference=None) -> tuple[np.ndarray, np.ndarray]:
    """Integer ids [n] of start states [n, d] (rounded to 1e-5), and the distinct starts [G, d]."""
    keys = np.round(np.asarray(start_states, dtype=np.float64), 5)
    reference = np.unique(keys, axis=0) if reference is None else reference
    ids = np.full(len(keys), -1)
    for g, r in enumerate(reference):
        ids[np.all(keys == r, axis=1)] = g
    return ids, reference


def local_constancy_penalty(rewards: torch.Tensor) -> torch.Tensor:
    """``mean_n sum_t ((r_{t+1} - r_t) - (r_t - r_{t-1}))^2`` over per-step rewards [n, T]."""
    if rewards.shape[1] < 3:
        return rewards.new_zeros(())
    return ((rewards[:, 2:] - 2 * rewards[:, 1:-1] + rewards[:, :-2]) ** 2).sum(1).mean()


def monotonic_penalty(rewards: torch.Tensor, margin: float = 1.0) -> torch.Tensor:
    """Finn et al.'s monotonicity regulariser on per-step rewards [n, T], averaged over trajectories.

    On the cost ``c = -r`` the paper's term (Finn, Levine & Abbeel 2016, Section 5) is
    ``g_mono(tau) = sum_t max(0, c_t - c_{t-1} - 1)^2``; here ``mean_n sum_{t>=1} max(0, c_t - c_{t-1} - margin)^2``
    ``= mean_n sum_{t>=1} max(0, r_{t-1} - r_t - margin)^2``. ``margin`` is the rise of the cost per step that
    goes unpenalised: 1 (the default) is the printed equation, 0 penalises every rise, and -1 demands a fall
    of at least 1 per step, which is what the authors' reference code computes (``offset = +1`` on the
    demonstrations' cost slopes) and what their prose ("decrease strictly monotonically") describes.
    """
    margin = check_real(margin, "margin")
    return (torch.relu(rewards[:, :-1] - rewards[:, 1:] - margin) ** 2).sum(1).mean()


class BackgroundSet:
    """Background trajectories with the log-density of every one under every sampling policy.

    ``log_densities`` [K, n] holds ``log pi_k(tau_j)``; it is filled incrementally (each new
    policy is evaluated on all stored trajectories, each new trajectory under all policies),
    so the mixture density costs one log-sum-exp per reward step.
    """

    def __init__(self, agent: SAC):
        self.agent = agent
        self.states: list[np.ndarray] = []
        self.actions: list[np.ndarray] = []
        self.actors: list[nn.Module] = []
        self.counts: list[int] = []
        self.log_densities = np.zeros((0, 0))
        self.is_demo = np.zeros(0, dtype=bool)

    @torch.no_grad()
    def _log_density(self, actor, states, actions) -> np.ndarray:
        n, T = actions.shape[:2]
        obs = states[:, :-1].reshape(n * T, -1)
        acts = actions.reshape(n * T, *actions.shape[2:])
        return self.agent.log_prob(obs, acts, actor=actor).reshape(n, T).sum(1).double().cpu().numpy()

    def add_policy(self, actor: nn.Module, count: int = 1) -> None:
        """Add a sampler (frozen copy) that contributes ``count`` trajectories to the mixture."""
        actor = copy.deepcopy(actor).eval()
        row = (self._log_density(actor, self.all_states(), self.all_actions()) if self.states else np.zeros(0))
        self.actors.append(actor)
        self.counts.append(count)
        self.log_densities = np.vstack([self.log_densities.reshape(len(self.actors) - 1, len(row)), row[None]])

    def add_trajectories(self, states, actions, demo: bool = False) -> None:
        cols = np.stack([self._log_density(a, states, actions) for a in self.actors]) if self.actors \
            else np.zeros((0, len(states)))
        self.log_densities = np.hstack([self.log_densities.reshape(len(self.actors), len(self.is_demo)), cols])
        self.states.append(states)
        self.actions.append(actions)
        self.is_demo = np.concatenate([self.is_demo, np.full(len(states), demo)])

    def all_states(self) -> np.ndarray:
        return np.concatenate(self.states)

    def all_actions(self) -> np.ndarray:
        return np.concatenate(self.actions)

    def log_proposal(self, latest_only: bool = False) -> np.ndarray:
        """``log sum_k (n_k / n) pi_k(tau)`` [n] (or the latest policy's density only)."""
        if not self.actors:
            raise ValueError("no sampling policy has been added to the background set")
        if latest_only:
            return self.log_densities[-1]
        log_share = np.log(np.asarray(self.counts, dtype=np.float64) / np.sum(self.counts))
        return np.logaddexp.reduce(self.log_densities + log_share[:, None], axis=0)


def behaviour_cloning(agent: SAC, states, actions, n_steps: int = 300, lr: float = 3e-3) -> nn.Module:
    """A copy of ``agent``'s actor fitted to demonstrations by maximum likelihood of ``log pi(a|s)``
    (full-batch Adam, deterministic): the rough demonstrator density that GCL's background mixture
    needs for the demonstrations."""
    n_steps, lr = check_positive_int(n_steps, "n_steps"), check_positive(lr, "lr")
    actor = copy.deepcopy(agent.actor)
    optimiser = torch.optim.Adam(actor.parameters(), lr=lr)
    n, T = actions.shape[:2]
    obs = states[:, :-1].reshape(n * T, -1)
    acts = actions.reshape(n * T, *actions.shape[2:])
    for _ in range(n_steps):
        loss = -agent.log_prob(obs, acts, actor=actor).mean()
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
    return actor.eval()


@dataclass(kw_only=True)
class GCLResult(IRLResult):
    """Outcome of :func:`gcl` (an :class:`~irlbook.core.result.IRLResult`).

    ``reward``: the learned reward as ``reward(obs, actions, next_obs) -> [B]`` (torch tensors or arrays in,
    a tensor out, no gradient): ``r_psi(s')`` (state-only) or ``r_psi(s, a)``; ``reward_net``: the torch module;
    ``policy``: the SAC agent trained alongside; ``history`` per iteration: ``loss``, ``ess`` and
    ``ess_fraction`` (of the whole background set under the current reward), ``true_return`` (mean
    environment return of that iteration's episodes), ``demo_reward`` and ``sample_reward`` (mean learned return).
    """

    reward_net: nn.Module


@dataclass
class GCLConfig:
    """Settings of :func:`gcl` (defaults in the style of CleanRL's ``Args``); validated on construction.

    Each iteration runs the policy for ``episodes_per_iteration`` episodes, takes ``reward_steps_per_iteration``
    Adam steps (step ``lr``) on the surrogate loss with minibatches of ``batch_size`` demonstrations and
    background trajectories, then ``policy_updates_per_iteration`` SAC updates on the current learned reward.
    ``hidden``: reward network widths; ``state_only``: ``r(s')`` rather than ``r(s, a)``;
    ``demos_in_background``: demonstrations join the background set (with a behaviour-cloning density);
    ``mixture=False`` keeps only the latest iteration's samples in the background;
    ``condition_on_start``: one partition function per distinct start state (module doc);
    ``local_constancy``, ``monotonic``, ``l2``: non-negative penalty weights (``l2`` on the squared per-step
    rewards); ``monotonic_margin``: the unpenalised rise of the cost per step in :func:`monotonic_penalty`
    (1: Finn et al.'s printed equation); ``sac_kwargs``: :class:`~irlbook.deep.sac.SAC` settings (temperature
    fixed at 1 unless given);
    ``initial_policy_updates``: warm-start SAC updates on the environment reward (0: off);
    ``seed``; ``device`` (``None``: CUDA when present).
    """

    n_iterations: int = 30
    episodes_per_iteration: int = 10
    policy_updates_per_iteration: int = 300
    reward_steps_per_iteration: int = 10
    batch_size: int = 64
    hidden: tuple = (32, 32)
    lr: float = 1e-3
    state_only: bool = True
    demos_in_background: bool = True
    mixture: bool = True
    condition_on_start: bool = False
    local_constancy: float = 0.0
    monotonic: float = 0.0
    monotonic_margin: float = 1.0
    l2: float = 0.0
    sac_kwargs: dict = field(default_factory=dict)
    initial_policy_updates: int = 0
    seed: int = 0
    device: object = None

    def __post_init__(self):
        for name in ("n_iterations", "episodes_per_iteration", "reward_steps_per_iteration", "batch_size"):
            setattr(self, name, check_positive_int(getattr(self, name), name))
        for name in ("policy_updates_per_iteration", "initial_policy_updates", "seed"):
            setattr(self, name, check_nonnegative_int(getattr(self, name), name))
        for name in ("state_only", "demos_in_background", "mixture", "condition_on_start"):
            setattr(self, name, check_bool(getattr(self, name), name))
        for name in ("local_constancy", "monotonic", "l2"):
            setattr(self, name, check_nonnegative(getattr(self, name), name))
        self.monotonic_margin = check_real(self.monotonic_margin, "monotonic_margin")
        self.lr = check_positive(self.lr, "lr")
        self.hidden = check_hidden(self.hidden)
        self.sac_kwargs = dict(check_instance(self.sac_kwargs if self.sac_kwargs is not None else {}, dict,
                                              "sac_kwargs"))
        self.device = as_device(self.device)


def gcl(env, demos: Demonstrations, config: GCLConfig | None = None, progress: bool = False) -> GCLResult:
    """Guided cost learning on a fixed-horizon gymnasium ``env`` from continuous ``demos``
    (:meth:`Demonstrations.continuous` / :meth:`Demonstrations.from_rollouts`), with the settings ``config``
    (:class:`GCLConfig`; defaults if ``None``).

    Each iteration: run the policy for ``episodes_per_iteration`` episodes (added to the background
    set with a frozen copy of the policy); ``reward_steps_per_iteration`` Adam steps on the surrogate
    loss; then ``policy_updates_per_iteration`` SAC updates on the current learned reward (lazy policy
    optimisation). Every random draw comes from generators seeded with ``config.seed``.
    """
    cfg = GCLConfig() if config is None else check_instance(config, GCLConfig, "config")
    demos = check_instance(demos, Demonstrations, "demos")
    if demos.kind != "continuous":
        raise ValueError("demos must be continuous demonstrations (Demonstrations.continuous or .from_rollouts)")
    demo_states = demos.trajectory_observations().astype(np.float32)
    demo_actions = demos.actions if demos.actions.dtype.kind in "iu" else demos.actions.astype(np.float32)
    device, seed = cfg.device, cfg.seed
    rng = np.random.default_rng(seed)
    obs_dim = env.observation_space.shape[0]
    if demo_states.shape[2] != obs_dim:
        raise ValueError(f"demos have observations of size {demo_states.shape[2]}, the environment {obs_dim}")
    # temperature fixed at 1 by default: the sampler then targets exp(R_psi), the MaxEnt model itself
    sac_kwargs = {"init_alpha": 1.0, "learn_alpha": False, **cfg.sac_kwargs}
    agent = SAC(env.observation_space, env.action_space, device=device, seed=seed, **sac_kwargs)
    if not cfg.state_only and agent.discrete:
        raise ValueError("state_only=False needs a Box action space")
    state_only = cfg.state_only
    reward_net = RewardNetwork(obs_dim, 0 if state_only else agent.act_dim, cfg.hidden, seed, device)
    optimiser = torch.optim.Adam(reward_net.parameters(), lr=cfg.lr)

    def learned_reward(obs, action, next_obs):
        x = next_obs if state_only else torch.cat([obs, action.float()], -1)
        return reward_net(x)

    def reward(obs, actions, next_obs):
        """The learned reward [B]: ``r_psi(s')`` (state-only) or ``r_psi(s, a)``; no gradient."""
        with torch.no_grad():
            as_t = lambda x: torch.as_tensor(x, dtype=torch.float32, device=device)  # noqa: E731
            return learned_reward(as_t(obs), as_t(actions), as_t(next_obs))

    demos_in_background = cfg.demos_in_background
    bc_actor = behaviour_cloning(agent, demo_states, demo_actions) if demos_in_background else None
    demo_group_ids, starts = start_groups(demo_states[:, 0]) if cfg.condition_on_start else (None, None)
    background = BackgroundSet(agent)
    history = {k: [] for k in ("loss", "ess", "ess_fraction", "true_return", "demo_reward", "sample_reward")}
    if cfg.initial_policy_updates:
        agent.rollout(env, cfg.episodes_per_iteration, seed=seed + 10_000, random_actions=True)
        agent.update_many(cfg.initial_policy_updates)   # warm start on the replay buffer's env reward: off by default
    iterator = range(cfg.n_iterations)
    if progress:
        from tqdm.auto import tqdm
        iterator = tqdm(iterator, desc="GCL")
    for it in iterator:
        # 1. sample with the current policy; its frozen copy joins the mixture
        episodes = agent.rollout(env, cfg.episodes_per_iteration, seed=seed + 1000 * (it + 1))
        if not cfg.mixture:
            background = BackgroundSet(agent)
        if demos_in_background and not background.is_demo.any():
            background.add_policy(bc_actor, count=len(demo_states))
            background.add_trajectories(demo_states, demo_actions, demo=True)
        background.add_policy(agent.actor, count=cfg.episodes_per_iteration)
        background.add_trajectories(episodes["states"], episodes["actions"])
        states_b, actions_b = background.all_states(), background.all_actions()
        log_q = torch.as_tensor(background.log_proposal(), device=device)
        back_group_ids = start_groups(states_b[:, 0], starts)[0] if cfg.condition_on_start else None

        # 2. reward steps on the surrogate loss
        for _ in range(cfg.reward_steps_per_iteration):
            d = rng.integers(0, len(demo_states), size=min(cfg.batch_size, len(demo_states)))
            b = rng.integers(0, len(states_b), size=min(cfg.batch_size, len(states_b)))
            if demos_in_background:      # the demo minibatch joins the background minibatch
                b = np.concatenate([b, np.flatnonzero(background.is_demo)[d]])
            r_demo = step_rewards(reward_net, demo_states[d], demo_actions[d])
            r_back = step_rewards(reward_net, states_b[b], actions_b[b])
            if cfg.condition_on_start:
                loss, _ = gcl_loss(r_demo.sum(1), r_back.sum(1), log_q[b], demo_group_ids[d], back_group_ids[b])
            else:
                loss, _ = gcl_loss(r_demo.sum(1), r_back.sum(1), log_q[b])
            if cfg.local_constancy:
                loss = loss + cfg.local_constancy * (local_constancy_penalty(r_demo) + local_constancy_penalty(r_back))
            if cfg.monotonic:
                loss = loss + cfg.monotonic * monotonic_penalty(r_demo, cfg.monotonic_margin)
            if cfg.l2:
                loss = loss + cfg.l2 * (r_demo.pow(2).mean() + r_back.pow(2).mean())
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()

        # 3. lazy policy optimisation on the current learned reward
        agent.update_many(cfg.policy_updates_per_iteration, reward_fn=learned_reward)

        with torch.no_grad():
            returns_b = step_rewards(reward_net, states_b, actions_b).sum(1).double()
            log_w = (returns_b - log_q).cpu().numpy()
            demo_r = step_rewards(reward_net, demo_states, demo_actions).sum(1).mean()
        ess = effective_sample_size(log_w)
        history["loss"].append(float(loss.detach()))
        history["ess"].append(ess)
        history["ess_fraction"].append(ess / len(log_w))
        history["true_return"].append(float(episodes["returns"].mean()))
        history["demo_reward"].append(float(demo_r))
        history["sample_reward"].append(float(returns_b[~torch.as_tensor(background.is_demo)].mean()))
    return GCLResult(reward=reward, policy=agent, history=as_history(**history), reward_net=reward_net)
