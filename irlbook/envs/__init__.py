"""Environments: tabular builders and their gymnasium registrations.

Registered ids: ``irlbook/GridWorld-v0``, ``irlbook/ObjectWorld-v0`` and ``irlbook/PointMass-v0``
(keyword arguments go to :class:`GridWorld` / :class:`ObjectWorld` / :class:`PointMassEnv`).
"""

from gymnasium.envs.registration import register, registry

from .grid import grid_successors
from .gridworld import GridWorld, macrocell_features
from .objectworld import ObjectWorld
from .point_mass import PointMassEnv, point_mass_reward
from .tabular_env import TabularEnv

_ENVS = {
    "irlbook/GridWorld-v0": "irlbook.envs.tabular_env:make_gridworld_env",
    "irlbook/ObjectWorld-v0": "irlbook.envs.tabular_env:make_objectworld_env",
    "irlbook/PointMass-v0": "irlbook.envs.point_mass:make_point_mass_env",
}
for _id, _entry in _ENVS.items():
    if _id not in registry:
        register(id=_id, entry_point=_entry, disable_env_checker=True)

__all__ = ["GridWorld", "ObjectWorld", "PointMassEnv", "TabularEnv", "grid_successors", "macrocell_features",
           "point_mass_reward"]
