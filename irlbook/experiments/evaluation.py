"""The shared evaluation of the experiments: returns of a policy, of a uniformly random one, and
Ho & Ermon (2016)'s normalised score. Numpy and gymnasium only (no torch), so notebooks may use it
for tabular results too.

The normalised score puts a uniformly random policy at 0 and the expert at 1::

    score = (R - R_random) / (R_expert - R_random)
"""

from __future__ import annotations

import numpy as np


def normalised_score(R, R_expert, R_random):
    """``(R - R_random) / (R_expert - R_random)``: 0 for the random policy, 1 for the expert.

    The arguments are numbers or arrays that broadcast (e.g. one ``R_expert`` and ``R_random`` per seed);
    the result is a float, or an array when any argument is one. ``R_expert`` must differ from ``R_random``."""
    R, R_expert, R_random = (np.asarray(x, dtype=np.float64) for x in (R, R_expert, R_random))
    if not (np.all(np.isfinite(R_expert)) and np.all(np.isfinite(R_random))) or np.any(R_expert == R_random):
        raise ValueError(f"R_expert and R_random must be finite and differ, got {R_expert!r} and {R_random!r}")
    score = (R - R_random) / (R_expert - R_random)
    return float(score) if score.ndim == 0 else score


def mean_return(agent, env, n_episodes: int = 10, seed: int = 10_000, deterministic: bool = True) -> float:
    """Mean true return of ``agent`` (anything with SAC's ``rollout``) over ``n_episodes`` seeded episodes,
    not stored in its buffer; deterministic (mean) actions by default."""
    return float(agent.rollout(env, n_episodes, seed=seed, deterministic=deterministic, store=False)["returns"].mean())


def random_return(env, n_episodes: int, seed: int) -> float:
    """Mean return of uniformly random actions (a ``Box`` action space) over ``n_episodes`` episodes,
    episode ``e`` reset with seed ``seed + e``."""
    return float(rollouts_with_rewards(env, None, n_episodes, seed)["returns"].mean())


def _episodes(env, policy, n_episodes: int, seed: int):
    """``n_episodes`` episodes of ``policy`` (obs -> action; None: uniform random over a ``Box``), episode ``e``
    reset with seed ``seed + e``, one at a time: lists of the ``observations`` (T+1), ``actions``, ``rewards``
    and step ``infos`` (T each)."""
    if not isinstance(n_episodes, (int, np.integer)) or isinstance(n_episodes, bool) or n_episodes < 1:
        raise ValueError(f"n_episodes must be a positive integer, got {n_episodes!r}")
    rng = np.random.default_rng(seed)
    for e in range(n_episodes):
        obs, _ = env.reset(seed=seed + e)
        observations, actions, rewards, infos, done = [obs], [], [], [], False
        while not done:
            act = rng.uniform(env.action_space.low, env.action_space.high) if policy is None else policy(obs)
            obs, reward, terminated, truncated, info = env.step(act)
            observations.append(obs), actions.append(act), rewards.append(float(reward)), infos.append(info)
            done = terminated or truncated
        yield observations, actions, rewards, infos


def episode_totals(env, policy, n_episodes: int, seed: int, info_keys=(), transitions: bool = False) -> dict:
    """Per-episode sums over ``n_episodes`` episodes of ``policy`` (obs -> action; None: uniform random over a
    ``Box``), episode ``e`` reset with seed ``seed + e``: ``returns`` [n], ``lengths`` [n] and, for each name in
    ``info_keys``, the sum of that entry of the step ``info`` [n] (e.g. ``Ant-v5``'s ``"reward_forward"``). With
    ``transitions``, also the episodes' steps, flat: ``obs``, ``actions``, ``next_obs`` [N, ...] float32
    (N = the sum of ``lengths``)."""
    totals = {"returns": [], "lengths": [], **{key: [] for key in info_keys}}
    steps = {"obs": [], "actions": [], "next_obs": []}
    for observations, actions, rewards, infos in _episodes(env, policy, n_episodes, seed):
        if transitions:
            steps["obs"] += observations[:-1]
            steps["actions"] += actions
            steps["next_obs"] += observations[1:]
        for key in info_keys:
            lacking = next((info for info in infos if key not in info), None)
            if lacking is not None:
                raise ValueError(f"info_keys: the environment's step info has no {key!r}; it has {sorted(lacking)}")
            totals[key].append(sum(float(info[key]) for info in infos))
        totals["returns"].append(sum(rewards))
        totals["lengths"].append(len(rewards))
    out = {key: np.asarray(value, np.int64 if key == "lengths" else np.float64) for key, value in totals.items()}
    if transitions:
        out.update({key: np.asarray(value, np.float32) for key, value in steps.items()})
    return out


def rollouts_with_rewards(env, policy, n: int, seed: int) -> dict:
    """``n`` episodes of ``policy`` (obs -> action; None: uniform random over a ``Box``), episode ``e`` reset
    with seed ``seed + e``: ``states`` [n, T+1, d], ``actions`` [n, T, k], the environment's per-step
    ``rewards`` [n, T] and ``returns`` [n] (episodes of one length; a ragged set keeps ``returns`` only)."""
    states, actions, rewards = zip(*((s, a, r) for s, a, r, _ in _episodes(env, policy, n, seed)), strict=True)
    if len({len(r) for r in rewards}) > 1:
        return {"returns": np.array([np.sum(r) for r in rewards], np.float64)}
    rewards = np.asarray(rewards, np.float64)
    return {"states": np.asarray(states, np.float32), "actions": np.asarray(actions, np.float32),
            "rewards": rewards, "returns": rewards.sum(1)}
