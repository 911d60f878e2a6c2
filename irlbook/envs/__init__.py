"""Environments: tabular builders, continuous point worlds and their gymnasium registrations.

Registered ids: ``irlbook/GridWorld-v0``, ``irlbook/ObjectWorld-v0``, ``irlbook/ShiftingMaze-v0``,
``irlbook/PointMass-v0`` and ``irlbook/PointMaze-v0`` (keyword arguments go to :class:`GridWorld` /
:class:`ObjectWorld` / :class:`ShiftingMaze` / :class:`PointMassEnv` / :class:`PointMazeEnv`), and
``irlbook/DisabledAnt-v0`` (gymnasium's ``Ant-v5`` on the model :data:`DISABLED_ANT_XML`; needs MuJoCo).
:class:`AbsorbingState` gives an environment that terminates (CartPole-v1) a fixed horizon.
"""

from gymnasium.envs.registration import register, registry

from .absorbing import AbsorbingState
from .ant import DISABLED_ANT_XML, make_ant, render_ant
from .grid import grid_successors
from .gridworld import GridWorld, macrocell_features
from .maze import ShiftingMaze
from .objectworld import ObjectWorld
from .point_mass import PointMassEnv, point_mass_reward
from .point_maze import PointMazeEnv, scripted_maze_demos
from .tabular_env import TabularEnv

_ENVS = {
    "irlbook/GridWorld-v0": "irlbook.envs.tabular_env:make_gridworld_env",
    "irlbook/ObjectWorld-v0": "irlbook.envs.tabular_env:make_objectworld_env",
    "irlbook/ShiftingMaze-v0": "irlbook.envs.tabular_env:make_shifting_maze_env",
    "irlbook/PointMass-v0": "irlbook.envs.point_mass:make_point_mass_env",
    "irlbook/PointMaze-v0": "irlbook.envs.point_maze:make_point_maze_env",
}
for _id, _entry in _ENVS.items():
    if _id not in registry:
        register(id=_id, entry_point=_entry, disable_env_checker=True)
if "irlbook/DisabledAnt-v0" not in registry:
    register(id="irlbook/DisabledAnt-v0", entry_point="gymnasium.envs.mujoco.ant_v5:AntEnv",
             kwargs={"xml_file": DISABLED_ANT_XML}, max_episode_steps=1000)

__all__ = ["AbsorbingState", "DISABLED_ANT_XML", "GridWorld", "ObjectWorld", "PointMassEnv", "PointMazeEnv",
           "ShiftingMaze", "TabularEnv", "grid_successors", "macrocell_features", "make_ant", "point_mass_reward",
           "render_ant", "scripted_maze_demos"]
