"""Resumable stages of the on-policy experiments (:mod:`.disabled_ant`, :mod:`.gail_mujoco`,
:mod:`.airl_onpolicy_pendulum`): a PPO run, an adversarial IRL run, demonstrations and their files.

Each stage keeps its state in one file of the job's checkpoint folder, written every ``checkpoint_every``
seconds; a stage called again with the same arguments continues from it, and a finished stage returns at
once. ``deadline`` (a :func:`time.monotonic` value, or None) stops a stage at the next iteration boundary
after it; the stage then returns ``None`` and the job reports itself unfinished.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np

from irlbook import Demonstrations
from irlbook.deep.adversarial import AdversarialConfig, adversarial_imitation
from irlbook.deep.ppo import PPO, make_vector_env

#: How often a stage writes its checkpoint (seconds).
CHECKPOINT_EVERY = 180.0


def deadline_after(max_seconds) -> float | None:
    return None if max_seconds is None else time.monotonic() + float(max_seconds)


def ppo_stage(path, env_fn, total_steps: int, seed: int, n_envs: int = 8, ppo_kwargs: dict | None = None,
              reward_fn=None, deadline=None) -> PPO | None:
    """PPO on ``n_envs`` copies of ``env_fn()`` for ``total_steps`` agent steps (the environment's reward, or
    ``reward_fn``), checkpointed in ``path``; the trained agent, or None when stopped by ``deadline``."""
    envs = make_vector_env(env_fn, n_envs)
    agent = PPO(envs.single_observation_space, envs.single_action_space, total_steps=total_steps, seed=seed,
                **(ppo_kwargs or {}))
    path = Path(path)
    if path.is_file():
        agent.load(path, envs)
    if agent.step < total_steps:
        stop = None if deadline is None else (lambda _: time.monotonic() < deadline)
        agent.learn(envs, total_steps, reward_fn=reward_fn, checkpoint=path, checkpoint_every=CHECKPOINT_EVERY,
                    callback=stop)
    envs.close()
    return agent if agent.step >= total_steps else None


def load_finished_ppo(path, env, total_steps: int, seed: int, ppo_kwargs: dict | None = None) -> PPO | None:
    """The PPO agent of :func:`ppo_stage` saved in ``path`` for ``env``'s spaces, or None when the file is missing
    or the run has not taken its ``total_steps`` steps."""
    path = Path(path)
    if not path.is_file():
        return None
    agent = PPO(env.observation_space, env.action_space, total_steps=total_steps, seed=seed, **(ppo_kwargs or {}))
    agent.load(path)
    return agent if agent.step >= total_steps else None


def irl_stage(path, env_fn, demos: Demonstrations, method: str, n_iterations: int, seed: int, n_envs: int = 8,
              ppo_kwargs: dict | None = None, deadline=None, **config):
    """Adversarial IRL (``method``) with a PPO generator on ``n_envs`` copies of ``env_fn()``, checkpointed in
    ``path``; the :class:`~irlbook.deep.adversarial.DeepAdversarialResult`, or None when stopped by ``deadline``."""
    envs = make_vector_env(env_fn, n_envs)
    time_limit = None if deadline is None else max(0.0, deadline - time.monotonic())
    cfg = AdversarialConfig(method=method, generator="ppo", n_iterations=n_iterations, ppo_kwargs=ppo_kwargs or {},
                            seed=seed, checkpoint=path, checkpoint_every=CHECKPOINT_EVERY, time_limit=time_limit,
                            **config)
    result = adversarial_imitation(envs, demos, cfg)
    envs.close()
    return result if len(result.history["disc_loss"]) >= n_iterations else None


def collect_episodes(agent, env, n: int, seed: int, deterministic: bool = False) -> dict:
    """``n`` episodes of ``agent`` in ``env`` (episode ``e`` reset with ``seed + e``), of any lengths: flat
    transitions ``obs``, ``actions``, ``next_obs``, ``terminated`` [N, ...], ``episode`` [N] (which episode),
    and per episode ``returns`` [n] and ``lengths`` [n]."""
    out = {k: [] for k in ("obs", "actions", "next_obs", "terminated", "episode")}
    returns, lengths = [], []
    for e in range(n):
        obs, _ = env.reset(seed=seed + e)
        total, t, done = 0.0, 0, False
        while not done:
            action = agent.act(obs, deterministic)
            next_obs, reward, terminated, truncated, _ = env.step(action)
            for key, value in (("obs", obs), ("actions", action), ("next_obs", next_obs),
                               ("terminated", terminated), ("episode", e)):
                out[key].append(value)
            total, t, obs, done = total + float(reward), t + 1, next_obs, terminated or truncated
        returns.append(total)
        lengths.append(t)
    episodes = {k: np.asarray(v) for k, v in out.items()}
    for key in ("obs", "actions", "next_obs"):
        episodes[key] = episodes[key].astype(np.float32)
    return {**episodes, "returns": np.asarray(returns), "lengths": np.asarray(lengths)}


def expert_episodes(folder, env_fn, total_steps: int, seed: int, n: int, ppo_kwargs: dict | None = None) -> dict:
    """The demonstrations of the finished PPO expert in ``folder``: ``folder/demos.npz``, drawn from its final
    checkpoint ``folder/ppo.pt`` when missing (``n`` episodes of ``env_fn()``, the stochastic policy, seeded
    ``10_000 (seed + 1)``). The draw starts from the random state the checkpoint holds, so the file (megabytes)
    need not be kept with the checkpoint (kilobytes), with one caveat: an ant's episodes are chaotic, and matrix
    products through other kernels (AVX-512 instead of SSE4.2, say) draw other episodes. So the first draw writes
    the episodes' returns to ``folder/demos_returns.json`` (small enough to keep), and a later draw whose returns
    differ raises ``ValueError`` rather than hand a job other demonstrations than its predecessors had."""
    folder = Path(folder)
    path, fingerprint = folder / "demos.npz", folder / "demos_returns.json"
    if not path.is_file():
        if not (folder / "ppo.pt").is_file():
            raise ValueError(f"folder: no expert checkpoint {folder / 'ppo.pt'}; run the expert job first")
        env = env_fn()
        agent = load_finished_ppo(folder / "ppo.pt", env, total_steps, seed, ppo_kwargs)
        if agent is None:
            raise ValueError(f"folder: the expert in {folder} has not finished its {total_steps} steps")
        episodes = collect_episodes(agent, env, n, seed=10_000 * (seed + 1))
        if fingerprint.is_file() and json.loads(fingerprint.read_text()) != episodes["returns"].tolist():
            raise ValueError(f"folder: the demonstrations drawn again in {folder} differ from the first draw (its "
                             f"{fingerprint.name}): other matrix-product kernels? The records' provenance.device "
                             "names the MKL pin they ran with (MKL_ENABLE_INSTRUCTIONS)")
        save_episodes(path, episodes)
    episodes = load_episodes(path)
    if not fingerprint.is_file():
        fingerprint.write_text(json.dumps(episodes["returns"].tolist()) + "\n")
    return episodes


def save_episodes(path, episodes: dict) -> Path:
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp.npz")
    np.savez_compressed(tmp, **episodes)
    tmp.replace(path)
    return path


def load_episodes(path) -> dict:
    with np.load(path) as data:
        return {k: data[k] for k in data.files}


def as_demonstrations(episodes: dict, n: int | None = None) -> Demonstrations:
    """The transitions of the first ``n`` episodes (all if None) as one :class:`Demonstrations` row
    (episodes may differ in length: the adversarial methods use transitions only)."""
    keep = np.ones(len(episodes["episode"]), bool) if n is None else episodes["episode"] < n
    if not keep.any():
        raise ValueError(f"n: no transitions in the first {n} episodes")
    return Demonstrations.continuous(episodes["obs"][keep][None], episodes["actions"][keep][None],
                                     next_observations=episodes["next_obs"][keep][None],
                                     terminals=episodes["terminated"][keep][None])
