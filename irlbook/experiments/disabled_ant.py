"""Fu, Luo & Levine (2018)'s disabled-ant transfer with an on-policy generator, as resumable jobs (ch. 7).

Jobs (setting, seed), run by the sweep runner (:mod:`.sweep`)::

    python -m irlbook.experiments disabled_ant                       # = sweep disabled_ant: all jobs, local cores
    python -m irlbook.experiments sweep disabled_ant --address auto  # on a Ray cluster

* ``expert``: PPO on ``Ant-v5`` (the true reward) and ``N_DEMOS`` demonstrations of the trained policy;
* ``airl``, ``gail``, ``gan_gcl`` (after ``expert``): the method's reward learned on ``Ant-v5`` with a PPO
  generator, then re-optimised with PPO from scratch on the disabled ant (``irlbook/DisabledAnt-v0``: front legs
  shortened, their motors off); the value is the true return of the re-optimised policy on the disabled ant;
* ``true_reward``: PPO on the disabled ant's own reward, the ceiling.

Both ants run without the contact forces in the observation (``include_cfrc_ext_in_observation=False``) and
without early termination (a fixed horizon, as the logit rewards need). Fu et al.'s table 2 (TRPO, rllab's ant,
whose reward differs in scale from ``Ant-v5``'s): AIRL 130.3, GAIL -58.8, GAN-GCL -44.8, the true reward 315.5:
compare the ordering, not the numbers. Each stage checkpoints every few minutes under
``results/checkpoints/disabled_ant/<setting>/seed<k>/``; running the command again resumes.
"""

from __future__ import annotations

import os

os.environ.setdefault("MUJOCO_GL", "egl")

from pathlib import Path  # noqa: E402

ENV_KWARGS = {"include_cfrc_ext_in_observation": False, "terminate_when_unhealthy": False}
PPO_KWARGS = {"hidden": (64, 64), "n_steps": 256, "lr": 3e-4}   # 8 x 256 = 2048 steps a batch (CleanRL)
N_ENVS = 8
N_DEMOS = 50
IRL = {"disc_steps": 10, "disc_batch": 512, "disc_lr": 3e-4, "disc_hidden": (64, 64)}
#: setting -> its parameters (agent steps; IRL iterations of N_ENVS * n_steps steps each)
SETTINGS = {
    "expert": {"steps": 5_000_000},
    "true_reward": {"steps": 3_000_000},
    "airl": {"method": "airl", "iterations": 2000, "reopt_steps": 3_000_000},
    "gail": {"method": "gail", "iterations": 2000, "reopt_steps": 3_000_000},
    "gan_gcl": {"method": "gan_gcl", "iterations": 2000, "reopt_steps": 3_000_000},
}
DEPENDS = {"airl": "expert", "gail": "expert", "gan_gcl": "expert"}
SEEDS = [0, 1, 2]
PAPER = {"airl": 130.3, "gail": -58.8, "gan_gcl": -44.8, "true_reward": 315.5}


def make_ant(disabled: bool = False):
    import irlbook.envs  # noqa: F401  (registers the disabled ant)
    from irlbook.envs.ant import make_ant as make

    return make(disabled=disabled, **ENV_KWARGS)


def make_disabled():
    return make_ant(disabled=True)


def run_job(setting: str, seed: int, checkpoint_dir, max_seconds=None, settings: dict | None = None):
    """One job's values, or None when stopped after ``max_seconds`` (``settings`` overrides :data:`SETTINGS`)."""
    from irlbook.deep.adversarial import learned_reward
    from irlbook.deep.ppo import evaluate

    from .onpolicy import (
        as_demonstrations,
        collect_episodes,
        deadline_after,
        irl_stage,
        load_episodes,
        ppo_stage,
        save_episodes,
    )

    params = (settings or SETTINGS)[setting]
    folder, deadline = Path(checkpoint_dir), deadline_after(max_seconds)
    if setting == "expert":
        agent = ppo_stage(folder / "ppo.pt", make_ant, params["steps"], seed, N_ENVS, PPO_KWARGS, deadline=deadline)
        if agent is None:
            return None
        episodes = collect_episodes(agent, make_ant(), N_DEMOS, seed=10_000 * (seed + 1))
        save_episodes(folder / "demos.npz", episodes)
        return {"expert_return": float(episodes["returns"].mean()), "n_demos": N_DEMOS,
                "expert_steps": params["steps"], "disabled_return": evaluate(agent, make_disabled(), 10)}
    if setting == "true_reward":
        agent = ppo_stage(folder / "ppo.pt", make_disabled, params["steps"], seed, N_ENVS, PPO_KWARGS,
                          deadline=deadline)
        return None if agent is None else {"disabled_return": evaluate(agent, make_disabled(), 10),
                                           "steps": params["steps"]}
    demos = as_demonstrations(load_episodes(folder.parent.parent / "expert" / folder.name / "demos.npz"))
    fit = irl_stage(folder / "irl.pt", make_ant, demos, params["method"], params["iterations"], seed, N_ENVS,
                    PPO_KWARGS, deadline, **IRL)
    if fit is None:
        return None
    agent = ppo_stage(folder / "reopt.pt", make_disabled, params["reopt_steps"], seed, N_ENVS, PPO_KWARGS,
                      reward_fn=learned_reward(fit.discriminator), deadline=deadline)
    if agent is None:
        return None
    return {"disabled_return": evaluate(agent, make_disabled(), 10), "imitation_return": evaluate(fit.policy,
                                                                                                  make_ant(), 10),
            "iterations": params["iterations"], "reopt_steps": params["reopt_steps"]}


def summarise(values: dict) -> dict:
    from .sweep import numeric_summary

    return {"per_setting": numeric_summary(values), "paper_disabled_return": PAPER,
            "paper_note": "Fu et al. (2018), table 2: TRPO on rllab's ant, whose reward differs in scale from Ant-v5's"}


def main(argv=None):
    from .sweep import main as sweep

    return sweep(["disabled_ant", *(argv or [])])
