"""Experts for inverse RL: train SAC on the true reward, record demonstrations with provenance.

A demonstration file is a pair ``<name>.npz`` (``states`` [n, T+1, obs_dim], ``actions``
[n, T, ...], ``returns`` [n]) and ``<name>.json`` (env id and keyword arguments, seed, the
expert's and a random policy's mean return, the SAC settings, and :func:`irlbook.book.records.provenance`:
date, device, library versions, git commit, command). ``python -m irlbook.experiments expert_demos``
writes them, with the settings of :data:`PRESETS`. The book's stored sets ship with the package
(``irlbook/book/data/demos/``, read through :mod:`importlib.resources`, so a wheel or Colab install
finds them too); :func:`expert_demos` loads a preset's stored file and raises ``FileNotFoundError``,
naming the command that makes it, when there is none -- it trains an expert only when asked to.
"""

from __future__ import annotations

import json
from importlib.resources import files
from pathlib import Path

import gymnasium as gym
import numpy as np

from ..deep.sac import SAC
from .records import provenance

# The chapters' experts: SAC settings per environment. A fixed temperature (point mass) makes the expert
# soft-optimal for reward / alpha. ``absorbing_horizon`` wraps a terminating environment in
# irlbook.envs.AbsorbingState (chapter 7); Hopper runs with termination off (GCL needs one horizon).
PRESETS = {
    "point_mass": {"env": "irlbook/PointMass-v0", "env_kwargs": {}, "episodes": 60, "demos": 50,
                   "sac": {"hidden": [64, 64], "gamma": 0.9, "lr": 3e-3, "batch_size": 128,
                           "init_alpha": 0.1, "learn_alpha": False}},
    "cartpole": {"env": "CartPole-v1", "env_kwargs": {}, "absorbing_horizon": 200, "episodes": 60, "demos": 20,
                 "sac": {"hidden": [64, 64], "gamma": 0.99, "lr": 1e-3, "batch_size": 128}},
    "pendulum": {"env": "Pendulum-v1", "env_kwargs": {}, "episodes": 100, "demos": 50,
                 "sac": {"hidden": [256, 256], "gamma": 0.99, "lr": 1e-3, "batch_size": 256}},
    "halfcheetah": {"env": "HalfCheetah-v5", "env_kwargs": {}, "episodes": 1000, "demos": 25,
                    "sac": {"hidden": [256, 256], "gamma": 0.99, "lr": 3e-4, "batch_size": 256,
                            "buffer_size": 1_000_000}},
    "hopper": {"env": "Hopper-v5", "env_kwargs": {"terminate_when_unhealthy": False}, "episodes": 1000, "demos": 25,
               "sac": {"hidden": [256, 256], "gamma": 0.99, "lr": 3e-4, "batch_size": 256,
                       "buffer_size": 1_000_000}},
}


def check_preset(preset: str) -> dict:
    if preset not in PRESETS:
        raise ValueError(f"preset must be one of {sorted(PRESETS)}, got {preset!r}")
    return PRESETS[preset]


def make_env(env_id: str, env_kwargs: dict | None = None, absorbing_horizon: int | None = None) -> gym.Env:
    """``gym.make(env_id, **env_kwargs)``, wrapped in :class:`irlbook.envs.AbsorbingState` if a horizon is given."""
    from ..envs import AbsorbingState  # importing irlbook.envs also registers the irlbook ids

    env = gym.make(env_id, **(env_kwargs or {}))
    return AbsorbingState(env, horizon=absorbing_horizon) if absorbing_horizon else env


def preset_env(preset: str) -> gym.Env:
    """The environment of a preset (with its keyword arguments and absorbing-state horizon)."""
    cfg = check_preset(preset)
    return make_env(cfg["env"], cfg["env_kwargs"], cfg.get("absorbing_horizon"))


def preset_sac_kwargs(preset: str) -> dict:
    cfg = check_preset(preset)
    return dict(cfg["sac"], hidden=tuple(cfg["sac"]["hidden"]))


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


def record_expert(env: gym.Env, n_episodes: int, n_demos: int, sac_kwargs: dict | None = None, seed: int = 0,
                  device=None) -> tuple[dict, float]:
    """Train an expert (:func:`train_expert`), record ``n_demos`` demonstrations (seed ``seed + 10_000``) and the
    mean return of as many uniformly random episodes (seed ``seed + 20_000``): ``(demos, random_mean_return)``."""
    expert = train_expert(env, n_episodes, seed=seed, sac_kwargs=sac_kwargs, device=device)
    demos = collect_demonstrations(expert, env, n_demos, seed=seed + 10_000)
    random = expert.rollout(env, n_demos, seed=seed + 20_000, random_actions=True, store=False)
    return demos, float(random["returns"].mean())


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


def _read(npz, record_file) -> tuple[dict, dict]:
    """``(demos, record)`` from a .npz and its .json (paths or :mod:`importlib.resources` traversables)."""
    with npz.open("rb") as handle, np.load(handle) as data:
        demos = {k: data[k] for k in ("states", "actions", "returns")}
    return demos, json.loads(record_file.read_text())


def load_demonstrations(path) -> tuple[dict, dict]:
    """``(demos, record)`` from a file written by :func:`save_demonstrations`."""
    path = Path(path).with_suffix(".npz")
    if not path.exists() or not path.with_suffix(".json").exists():
        raise ValueError(f"path must name a demonstration file with its .json provenance, got {path}")
    return _read(path, path.with_suffix(".json"))


#: Where the stored demonstrations ship inside the package (``irlbook/book/data/demos/<preset>.npz``).
STORED_DEMOS = "irlbook/book/data/demos"


def stored_demos(preset: str):
    """The shipped ``(<preset>.npz, <preset>.json)`` of ``preset`` as :mod:`importlib.resources` traversables
    (they may not exist)."""
    check_preset(preset)
    folder = files("irlbook.book").joinpath("data", "demos")
    return folder.joinpath(f"{preset}.npz"), folder.joinpath(f"{preset}.json")


def make_demos_command(preset: str) -> str:
    """The command that writes the stored demonstrations of ``preset``."""
    return f"python -m irlbook.experiments expert_demos --preset {preset} --out {STORED_DEMOS}/{preset} --device cpu"


def expert_demos(preset: str, directory=None, seed: int = 0, device=None,
                 train_if_missing: bool = False) -> tuple[dict, dict]:
    """``(demos, record)`` of a preset, read from ``<directory>/<preset>.npz`` or, by default, from the stored
    file shipped with the package (``irlbook/book/data/demos/<preset>.npz``, written by
    :func:`make_demos_command`). ``record["source"]`` says where the demonstrations came from.

    A missing file raises ``FileNotFoundError`` naming the preset and the command that makes it; only with
    ``train_if_missing=True`` is an expert trained here instead, with the preset's settings (``seed``,
    ``device``; that record has no provenance of a file and its source says "trained here").
    """
    cfg = check_preset(preset)
    if directory is not None:
        path = Path(directory) / f"{preset}.npz"
        npz, record_file, source = path, path.with_suffix(".json"), str(path)
    else:
        npz, record_file = stored_demos(preset)
        source = f"{STORED_DEMOS}/{preset}.npz"
    if npz.is_file() and record_file.is_file():
        demos, record = _read(npz, record_file)
        return demos, {**record, "source": source}
    if not train_if_missing:
        raise FileNotFoundError(
            f"no stored demonstrations for preset {preset!r} ({source} with its .json); make them with "
            f"`{make_demos_command(preset)}`, or pass train_if_missing=True to train an expert here "
            f"({cfg['episodes']} SAC episodes)")
    demos, random_return = record_expert(preset_env(preset), cfg["episodes"], cfg["demos"],
                                         preset_sac_kwargs(preset), seed=seed, device=device)
    record = {"env_id": cfg["env"], "env_kwargs": cfg["env_kwargs"], "n_demos": cfg["demos"],
              "mean_return": float(demos["returns"].mean()), "random_mean_return": random_return,
              "absorbing_horizon": cfg.get("absorbing_horizon"), "source": "trained here (no stored file)"}
    return demos, record
