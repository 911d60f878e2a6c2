"""Experts for inverse RL: train SAC on the true reward, record demonstrations with provenance.

A demonstration file is a pair ``<name>.npz`` (``states`` [n, T+1, obs_dim], ``actions``
[n, T, ...], ``returns`` [n]) and ``<name>.json`` (env id and keyword arguments, seed, the
expert's and a random policy's mean return, the SAC settings, and :func:`irlbook.results.provenance`:
date, device, library versions, git commit, command). ``scripts/make_expert_demos.py`` writes them.
"""

from __future__ import annotations

import json
from pathlib import Path

import gymnasium as gym
import numpy as np

from ..results import provenance
from .sac import SAC


def train_expert(env: gym.Env, n_episodes: int, seed: int = 0, sac_kwargs: dict | None = None, device=None,
                 progress: bool = False) -> SAC:
    """SAC trained on the environment's own reward for ``n_episodes`` episodes."""
    if isinstance(n_episodes, bool) or not isinstance(n_episodes, (int, np.integer)) or n_episodes < 1:
        raise ValueError(f"n_episodes must be a positive integer, got {n_episodes!r}")
    agent = SAC(env.observation_space, env.action_space, device=device, seed=seed, **(sac_kwargs or {}))
    agent.train(env, n_episodes, seed=seed, progress=progress)
    return agent


def collect_demonstrations(agent: SAC, env: gym.Env, n: int, seed: int = 0, deterministic: bool = False) -> dict:
    """``n`` episodes of ``agent`` (stochastic by default: a soft-optimal demonstrator), not stored in its buffer."""
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"n must be a positive integer, got {n!r}")
    return agent.rollout(env, n, seed=seed, deterministic=deterministic, store=False)


def save_demonstrations(path, demos: dict, env_id: str, env_kwargs: dict, seed: int, info: dict | None = None,
                        command: str | None = None) -> Path:
    """Write ``path`` (.npz) and its ``.json`` provenance next to it; return the .npz path."""
    path = Path(path).with_suffix(".npz")
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(path, states=demos["states"], actions=demos["actions"], returns=demos["returns"])
    record = {"env_id": env_id, "env_kwargs": env_kwargs, "n_demos": int(len(demos["returns"])),
              "horizon": int(demos["actions"].shape[1]), "mean_return": float(np.mean(demos["returns"])),
              **(info or {}), "provenance": provenance(seed=seed, command=command)}
    path.with_suffix(".json").write_text(json.dumps(record, indent=2, sort_keys=True, default=float) + "\n")
    return path


def load_demonstrations(path) -> tuple[dict, dict]:
    """``(demos, record)`` from a file written by :func:`save_demonstrations`."""
    path = Path(path).with_suffix(".npz")
    if not path.exists() or not path.with_suffix(".json").exists():
        raise ValueError(f"path must name a demonstration file with its .json provenance, got {path}")
    with np.load(path) as data:
        demos = {k: data[k] for k in ("states", "actions", "returns")}
    return demos, json.loads(path.with_suffix(".json").read_text())
