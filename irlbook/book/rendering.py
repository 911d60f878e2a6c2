"""Rendered rollouts as frame strips (MuJoCo offscreen rendering; chapter 6).

MuJoCo renders without a display through EGL (GPU or Mesa) or OSMesa: set ``MUJOCO_GL=egl``
(or ``osmesa``) *before* gymnasium imports mujoco, and make the env with ``render_mode="rgb_array"``.
"""

from __future__ import annotations

import numpy as np


def rollout_frames(env, policy=None, n_steps: int = 50, every: int = 10, seed: int = 0) -> tuple[list, list]:
    """Run one episode of ``policy`` (``obs -> action``; uniform random actions when None) for at most
    ``n_steps`` steps and keep every ``every``-th rendered frame (the start state included).

    ``env`` must have ``render_mode="rgb_array"``. Returns (frames [k] of [H, W, 3] uint8, their step indices).
    """
    for name, value in (("n_steps", n_steps), ("every", every)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
            raise ValueError(f"{name} must be a positive integer, got {value!r}")
    if getattr(env, "render_mode", None) != "rgb_array":
        raise ValueError(f"env must be made with render_mode='rgb_array', got {getattr(env, 'render_mode', None)!r}")
    obs, _ = env.reset(seed=seed)
    env.action_space.seed(seed)
    frames, steps = [env.render()], [0]
    for t in range(1, n_steps + 1):
        action = env.action_space.sample() if policy is None else policy(obs)
        obs, _, terminated, truncated, _ = env.step(action)
        if t % every == 0:
            frames.append(env.render())
            steps.append(t)
        if terminated or truncated:
            break
    return frames, steps


def frame_strip(frames, titles=None, axes=None):
    """Show frames [k] of [H, W, 3] side by side (a new figure when ``axes`` is None); returns the axes."""
    import matplotlib.pyplot as plt

    if len(frames) == 0:
        raise ValueError("frames must be non-empty")
    if axes is None:
        _, axes = plt.subplots(1, len(frames), figsize=(2.4 * len(frames), 2.2))
    axes = np.atleast_1d(axes)
    for i, (ax, frame) in enumerate(zip(axes, frames, strict=True)):
        ax.imshow(frame)
        ax.set_axis_off()
        if titles is not None:
            ax.set_title(titles[i], fontsize=9)
    return axes


def offscreen(render, *args, **kwargs):
    """Run a MuJoCo rendering function: ``(result, None)``, or ``(None, reason)`` where this machine cannot
    render off-screen (no EGL or OSMesa, as on Colab's CPU runtimes), so that a notebook can say so instead of
    failing. Only errors raised while creating the rendering context or rendering are expected here."""
    try:
        return render(*args, **kwargs), None
    except Exception as error:       # mujoco and gymnasium raise several types when no GL backend exists
        return None, f"MuJoCo off-screen rendering is unavailable here ({type(error).__name__}: {error})"
