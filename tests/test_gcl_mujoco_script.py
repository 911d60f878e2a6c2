"""Pieces of the gcl_mujoco experiment (chapter 6's MuJoCo runs) that can be checked in seconds."""

import os

import gymnasium as gym
import numpy as np
import pytest


def load_script(repo_root=None):
    os.environ.setdefault("MUJOCO_GL", "egl")
    from irlbook.experiments import load

    return load("gcl_mujoco")


def test_rollouts_with_rewards_sum_to_the_returns(repo_root):
    script = load_script(repo_root)
    env = gym.make("Pendulum-v1")
    out = script.rollouts_with_rewards(env, None, 2, seed=3)
    assert out["states"].shape == (2, 201, 3) and out["actions"].shape == (2, 200, 1)
    np.testing.assert_allclose(out["rewards"].sum(1), out["returns"])
    again = script.rollouts_with_rewards(env, None, 2, seed=3)       # seeded: the same episodes
    np.testing.assert_array_equal(again["states"], out["states"])
    policy = script.rollouts_with_rewards(env, lambda o: np.zeros(1, np.float32), 1, seed=3)
    assert np.all(policy["actions"] == 0)


def test_frames_are_written(repo_root, tmp_path):
    script = load_script(repo_root)
    pytest.importorskip("mujoco")
    try:   # the rendering backend itself, checked first so that only its absence skips
        probe = gym.make("Hopper-v5", render_mode="rgb_array", width=32, height=24)
        probe.reset(seed=0)
        probe.render()
        probe.close()
    except Exception as error:  # no EGL / OSMesa here
        pytest.skip(f"MuJoCo offscreen rendering unavailable: {error}")
    path = tmp_path / "frames.png"
    script.save_frames(path, "Hopper-v5", {"terminate_when_unhealthy": False},
                       {"zero": lambda o: np.zeros(3), "random": None}, seed=0)
    from matplotlib.image import imread

    image = imread(path)
    assert image.ndim == 3 and image.shape[0] > 100 and image.std() > 0.01
