"""Rendered rollouts (irlbook.book.rendering)."""

import os

import numpy as np
import pytest

from irlbook.book.rendering import frame_strip, rollout_frames
from irlbook.envs import PointMassEnv


def test_bad_input():
    with pytest.raises(ValueError, match="render_mode"):
        rollout_frames(PointMassEnv(), n_steps=5)
    with pytest.raises(ValueError, match="every"):
        rollout_frames(PointMassEnv(), every=0)
    with pytest.raises(ValueError, match="frames"):
        frame_strip([])


def _cheetah():
    os.environ.setdefault("MUJOCO_GL", "egl")
    gym = pytest.importorskip("gymnasium")
    pytest.importorskip("mujoco")
    try:
        env = gym.make("HalfCheetah-v5", render_mode="rgb_array", width=64, height=48)
        env.reset(seed=0)
        env.render()
    except Exception as error:  # no EGL / OSMesa on this machine
        pytest.skip(f"MuJoCo offscreen rendering unavailable: {error}")
    return env


def test_halfcheetah_frames_change_along_a_random_rollout():
    env = _cheetah()
    frames, steps = rollout_frames(env, n_steps=20, every=10, seed=0)
    assert steps == [0, 10, 20]
    assert all(f.shape == (48, 64, 3) and f.dtype == np.uint8 for f in frames)
    assert np.abs(frames[0].astype(int) - frames[-1].astype(int)).mean() > 0.5   # the cheetah moved
    again, _ = rollout_frames(env, n_steps=20, every=10, seed=0)
    np.testing.assert_array_equal(frames[-1], again[-1])                          # seeded: reproducible


def test_offscreen_reports_a_missing_backend_instead_of_raising():
    from irlbook.book.rendering import offscreen

    assert offscreen(lambda x: x + 1, 1) == (2, None)

    def no_backend():
        raise RuntimeError("no EGL display")

    value, reason = offscreen(no_backend)
    assert value is None and "unavailable" in reason and "no EGL display" in reason
