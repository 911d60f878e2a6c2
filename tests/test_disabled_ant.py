"""The disabled ant (chapter 7): the modified MJCF model loads, and differs from gymnasium's
Ant only in the two front legs (shorter segments, disabled motors)."""

import os

os.environ.setdefault("MUJOCO_GL", "egl")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

mujoco = pytest.importorskip("mujoco")
gym = pytest.importorskip("gymnasium")

from irlbook.envs import DISABLED_ANT_XML, make_ant  # noqa: E402
from irlbook.envs.ant import FRONT_LEG_BODIES, FRONT_LEG_JOINTS  # noqa: E402


def models():
    normal = make_ant().unwrapped.model
    disabled = make_ant(disabled=True).unwrapped.model
    return normal, disabled


def front_leg_body_ids(model):
    """Ids of the bodies in the front legs' subtrees."""
    roots = {mujoco.mj_name2id(model, mujoco.mjtObj.mjOBJ_BODY, name) for name in FRONT_LEG_BODIES}
    ids = set()
    for body in range(model.nbody):
        b = body
        while b > 0:
            if b in roots:
                ids.add(body)
                break
            b = model.body_parentid[b]
    return ids


def test_disabled_ant_differs_only_in_the_front_legs():
    normal, disabled = models()
    for field in ("nbody", "njnt", "ngeom", "nu", "nq", "nv"):
        assert getattr(normal, field) == getattr(disabled, field), field
    front = front_leg_body_ids(normal)
    assert len(front) == 6                                   # two legs of three bodies each
    in_front_geom = np.isin(normal.geom_bodyid, list(front))
    # geometry: identical outside the front legs ...
    for field in ("geom_size", "geom_pos", "geom_quat", "geom_rgba", "geom_friction"):
        a, b = getattr(normal, field), getattr(disabled, field)
        np.testing.assert_array_equal(a[~in_front_geom], b[~in_front_geom], err_msg=field)
    in_front_body = np.isin(np.arange(normal.nbody), list(front))
    for field in ("body_pos", "body_quat", "body_mass"):
        a, b = getattr(normal, field), getattr(disabled, field)
        np.testing.assert_array_equal(a[~in_front_body], b[~in_front_body], err_msg=field)
    # ... and inside, the thigh and ankle capsules are half as long (same radius)
    for name in ("left_leg_geom", "left_ankle_geom", "right_leg_geom", "right_ankle_geom"):
        g = mujoco.mj_name2id(normal, mujoco.mjtObj.mjOBJ_GEOM, name)
        assert disabled.geom_size[g, 0] == normal.geom_size[g, 0]
        np.testing.assert_allclose(disabled.geom_size[g, 1], normal.geom_size[g, 1] / 2)
    assert np.all(disabled.body_mass[in_front_body] <= normal.body_mass[in_front_body])
    # motors: the four front-leg joints are disabled (gear 150 -> 1), the other four unchanged
    front_joints = {mujoco.mj_name2id(normal, mujoco.mjtObj.mjOBJ_JOINT, j) for j in FRONT_LEG_JOINTS}
    for u in range(normal.nu):
        joint = normal.actuator_trnid[u, 0]
        if joint in front_joints:
            assert normal.actuator_gear[u, 0] == 150 and disabled.actuator_gear[u, 0] == 1
        else:
            np.testing.assert_array_equal(normal.actuator_gear[u], disabled.actuator_gear[u])
    for field in ("jnt_range", "jnt_axis", "dof_damping", "dof_armature"):
        np.testing.assert_array_equal(getattr(normal, field), getattr(disabled, field), err_msg=field)


def test_disabled_ant_runs_through_gymnasium():
    env = gym.make("irlbook/DisabledAnt-v0")
    normal = make_ant()
    assert env.observation_space.shape == normal.observation_space.shape
    assert env.action_space.shape == normal.action_space.shape
    obs, _ = env.reset(seed=0)
    for _ in range(5):
        obs, reward, terminated, truncated, info = env.step(env.action_space.sample())
    assert np.all(np.isfinite(obs)) and np.isfinite(reward)
    assert os.path.exists(DISABLED_ANT_XML)
