"""The disabled ant (Fu, Luo & Levine 2018): gymnasium's ``Ant-v5`` with its two front legs
halved in length and their motors disabled, loaded from a modified MJCF model.

``DISABLED_ANT_XML`` is the model's path; ``gymnasium.make("irlbook/DisabledAnt-v0")`` is
``gymnasium.make("Ant-v5", xml_file=DISABLED_ANT_XML)`` (same observation and action spaces,
same reward). Needs ``gymnasium[mujoco]`` (the ``mujoco`` extra); set ``MUJOCO_GL=egl`` before
importing mujoco to render off-screen.
"""

from __future__ import annotations

from pathlib import Path

from ..validation import (
    check_bool,
    check_nonnegative_int,
    check_positive_int,
    check_real,
    check_seed,
)

DISABLED_ANT_XML = str(Path(__file__).resolve().parent / "assets" / "disabled_ant.xml")
FRONT_LEG_JOINTS = ("hip_1", "ankle_1", "hip_2", "ankle_2")
FRONT_LEG_BODIES = ("front_left_leg", "front_right_leg")


def make_ant(disabled: bool = False, **kwargs):
    """``Ant-v5``, normal or disabled; keyword arguments go to ``gymnasium.make``."""
    import gymnasium as gym

    if check_bool(disabled, "disabled"):
        kwargs = {"xml_file": DISABLED_ANT_XML, **kwargs}
    return gym.make("Ant-v5", **kwargs)


def render_ant(disabled: bool = False, steps: int = 20, seed: int = 0, width: int = 480, height: int = 360,
               azimuth: float = 270.0):
    """One RGB frame [height, width, 3] of the ant after ``steps`` zero-torque steps from a reset.

    The camera looks at the front legs' side (``azimuth=270``). Set ``MUJOCO_GL=egl`` (or
    ``osmesa``) before the first MuJoCo import to render without a display.
    """
    import numpy as np

    disabled = check_bool(disabled, "disabled")
    steps = check_nonnegative_int(steps, "steps")
    seed = check_seed(seed)
    width = check_positive_int(width, "width")
    height = check_positive_int(height, "height")
    azimuth = check_real(azimuth, "azimuth")
    camera = {"distance": 2.5, "elevation": -25.0, "azimuth": float(azimuth), "lookat": np.array([0.0, 0.0, 0.4])}
    env = make_ant(disabled=disabled, render_mode="rgb_array", width=width, height=height,
                   default_camera_config=camera)
    try:
        env.reset(seed=seed)
        for _ in range(steps):
            env.step(np.zeros(env.action_space.shape))
        return env.render()
    finally:
        env.close()
