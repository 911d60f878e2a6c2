"""The one entry of expert data into the tabular algorithms.

Every tabular IRL function takes its demonstrations as one
:class:`~irlbook.core.demonstrations.Demonstrations` (``demos``); the public-API functions of
chapter 4 also accept the integer arrays ``(demo_states [n, T], demo_actions [n, T] | None)``.
"""

from __future__ import annotations

from ..core.demonstrations import Demonstrations, as_demonstrations
from ..core.mdp import TabularMDP
from ..validation import check_instance


def tabular_demos(mdp: TabularMDP, demos, demo_actions=None, need_actions: bool = False,
                  name: str = "demos", arrays: bool = True) -> Demonstrations:
    """``demos`` (a :class:`Demonstrations`, or integer ``demo_states`` with ``demo_actions``) checked
    against ``mdp``: one column per time step, indices in range, actions present if ``need_actions``.

    Messages name ``demo_states``/``demo_actions`` when arrays were passed, ``demos.states``/``demos.actions``
    for a :class:`Demonstrations`. With ``arrays=False`` only a :class:`Demonstrations` is accepted.
    """
    if not arrays:
        check_instance(demos, Demonstrations, name)
    if isinstance(demos, Demonstrations):
        names = (f"{name}.states", f"{name}.actions")
        demos = as_demonstrations(demos, demo_actions, name)
    else:
        names = ("demo_states", "demo_actions")
        demos = as_demonstrations(demos, demo_actions, "demo_states")
    return demos.check(mdp, need_actions=need_actions, name=name, names=names)
