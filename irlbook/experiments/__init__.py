"""The book's experiments, one module each, behind one entry point::

    python -m irlbook.experiments --list
    python -m irlbook.experiments NAME [options]     # e.g. gcl_pendulum --seeds 0
    python -m irlbook.experiments NAME --help
    python -m irlbook.experiments index              # rewrite results/index.json
    python -m irlbook.experiments sweep NAME [options]  # (setting, seed) jobs on local cores or Ray (.sweep)

Each module has a ``main(argv=None)`` that parses its options (argparse), runs, and writes a record
with provenance to ``results/`` (:mod:`irlbook.book.records`). Shared pieces -- options, the
evaluation loops, the normalised score, writing the record -- are in :mod:`.common` and
:mod:`.evaluation`. This package sits outside the library proper: only it and :mod:`irlbook.book`
import from :mod:`irlbook.book`, and the library never imports it. Importing this registry imports
no experiment (nor torch); :func:`load` imports one.
"""

from __future__ import annotations

import importlib
from types import ModuleType

#: name -> one line on what the experiment measures (the module is ``irlbook.experiments.<name>``).
EXPERIMENTS = {
    "airl_generators": "AIRL with a SAC or a PPO generator on Pendulum-v1: imitation and reward transfer (ch. 7)",
    "airl_onpolicy_pendulum": "AIRL (or GAIL, GAN-GCL) with a PPO generator on Pendulum-v1, CPU-sized (ch. 7)",
    "disabled_ant": "disabled-ant transfer, PPO: expert, AIRL / GAIL / GAN-GCL rewards re-optimised (resumable jobs)",
    "disabled_ant_kernels": "one disabled-ant checkpoint scored through SSE4.2, AVX2 and AVX-512 kernels (ch. 7)",
    "disabled_ant_rewards": "what the disabled ant's learned rewards track: forward velocity, height (ch. 7)",
    "gail_mujoco": "GAIL with PPO and behavioural cloning on Hopper / HalfCheetah from 4, 11, 25 trajectories (jobs)",
    "adversarial_continuous": "GAIL / AIRL / GAN-GCL imitation on a gymnasium task, or disabled-ant transfer (ch. 7)",
    "adversarial_control": "GAIL, AIRL and GAN-GCL on CartPole-v1 and Pendulum-v1 from stored demos, seeds (ch. 7)",
    "expert_demos": "train a SAC expert on a preset's true reward and store demonstrations with provenance",
    "gcl_mujoco": "GCL on HalfCheetah-v5 / Hopper-v5: retrained policy's score, reward correlation, frames (ch. 6)",
    "gcl_pendulum": "GCL on Pendulum-v1: normalised score, correlation and EPIC distance of the reward (ch. 6)",
    "gcl_point_mass": "GCL on the point mass over seeds, notebook 06b's quick settings (ch. 6)",
    "label_bias": "Ziebart et al. (2008)'s label-bias route probabilities, exact (ch. 4)",
    "point_maze_transfer": "AIRL / GAIL / GAN-GCL transfer in the shifting point maze over seeds (ch. 7)",
    "sac_pendulum": "SAC on Pendulum-v1: does it learn?",
}


def names() -> list[str]:
    """The registered experiments, sorted."""
    return sorted(EXPERIMENTS)


def load(name: str) -> ModuleType:
    """The module of experiment ``name`` (imported now)."""
    if name not in EXPERIMENTS:
        raise ValueError(f"name must be one of {names()}, got {name!r}")
    return importlib.import_module(f"{__name__}.{name}")


def run(name: str, argv: list[str] | None = None):
    """Run experiment ``name`` with command-line options ``argv``; returns what its ``main`` returns."""
    return load(name).main([] if argv is None else list(argv))
