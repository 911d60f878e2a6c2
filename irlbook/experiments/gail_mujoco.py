"""Ho & Ermon (2016)'s GAIL on MuJoCo with an on-policy generator, next to behavioural cloning, as resumable jobs.

Jobs (setting, seed), run by the sweep runner (:mod:`.sweep`)::

    python -m irlbook.experiments gail_mujoco                        # = sweep gail_mujoco: all jobs, local cores
    python -m irlbook.experiments sweep gail_mujoco --settings hopper_gail_4 --seeds 0 --address auto

* ``<env>_expert`` (``hopper``: ``Hopper-v5``, ``halfcheetah``: ``HalfCheetah-v5``): a PPO expert on the true
  reward and ``max(N_TRAJECTORIES)`` sampled trajectories of it;
* ``<env>_gail_<n>`` (after the expert): GAIL (reward ``-log(1 - D)``, PPO generator) from the first ``n``
  trajectories, ``n`` in ``N_TRAJECTORIES``;
* ``<env>_bc_<n>`` (after the expert): behavioural cloning -- the same Gaussian policy fitted by maximum
  likelihood to the same ``n`` trajectories (:func:`irlbook.deep.bc.behavioural_cloning`: 70/30 split, the best
  validation epoch, as Ho & Ermon).

The value of each is the policy's mean true return over 10 episodes and Ho & Ermon's normalised score
``(R - R_random) / (R_expert - R_random)``. The environments keep their own termination (as in the paper:
GAIL's reward ``-log(1 - D)`` is positive, so ending early never pays). Checkpoints every few minutes under
``results/checkpoints/gail_mujoco/<setting>/seed<k>/``; running the command again resumes.
"""

from __future__ import annotations

import os

os.environ.setdefault("MUJOCO_GL", "egl")

from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

ENVS = {"hopper": "Hopper-v5", "halfcheetah": "HalfCheetah-v5"}
N_TRAJECTORIES = (4, 11, 25)
PPO_KWARGS = {"hidden": (64, 64), "n_steps": 256, "lr": 3e-4}   # 8 x 256 = 2048 steps a batch (CleanRL)
N_ENVS = 8
GAIL = {"disc_steps": 10, "disc_batch": 512, "disc_lr": 3e-4, "disc_hidden": (100, 100)}
EXPERT_STEPS = {"hopper": 2_000_000, "halfcheetah": 3_000_000}
GAIL_ITERATIONS = 1500             # of N_ENVS * n_steps = 2048 agent steps: 3.1M steps


def _settings() -> dict:
    settings = {}
    for env in ENVS:
        settings[f"{env}_expert"] = {"env": env, "kind": "expert", "steps": EXPERT_STEPS[env]}
        for n in N_TRAJECTORIES:
            settings[f"{env}_gail_{n}"] = {"env": env, "kind": "gail", "n": n, "iterations": GAIL_ITERATIONS}
            settings[f"{env}_bc_{n}"] = {"env": env, "kind": "bc", "n": n, "epochs": 200}
    return settings


SETTINGS = _settings()
DEPENDS = {name: f"{p['env']}_expert" for name, p in SETTINGS.items() if p["kind"] != "expert"}
#: one reproduction per task: each has its own summary record, written once its jobs have finished
GROUPS = {env: [name for name, p in SETTINGS.items() if p["env"] == env] for env in ENVS}
SEEDS = [0, 1, 2]


def env_fn(env: str):
    import gymnasium as gym

    return lambda: gym.make(ENVS[env])


def run_job(setting: str, seed: int, checkpoint_dir, max_seconds=None, settings: dict | None = None):
    """One job's values, or None when stopped after ``max_seconds`` (``settings`` overrides :data:`SETTINGS`)."""
    import gymnasium as gym

    from irlbook.deep.bc import behavioural_cloning
    from irlbook.deep.ppo import PPO, evaluate

    from .evaluation import normalised_score, random_return
    from .onpolicy import as_demonstrations, deadline_after, expert_episodes, irl_stage, ppo_stage

    params = (settings or SETTINGS)[setting]
    folder, deadline = Path(checkpoint_dir), deadline_after(max_seconds)
    env = gym.make(ENVS[params["env"]])
    if params["kind"] == "expert":
        agent = ppo_stage(folder / "ppo.pt", env_fn(params["env"]), params["steps"], seed, N_ENVS, PPO_KWARGS,
                          deadline=deadline)
        if agent is None:
            return None
        episodes = expert_episodes(folder, env_fn(params["env"]), params["steps"], seed, max(N_TRAJECTORIES),
                                   PPO_KWARGS)
        return {"expert_return": float(episodes["returns"].mean()), "random_return": random_return(env, 10, seed),
                "expert_lengths": episodes["lengths"].tolist(), "steps": params["steps"]}
    expert_setting = f"{params['env']}_expert"     # its demonstrations (drawn again if the file is missing)
    episodes = expert_episodes(folder.parent.parent / expert_setting / folder.name, env_fn(params["env"]),
                               (settings or SETTINGS)[expert_setting]["steps"], seed, max(N_TRAJECTORIES), PPO_KWARGS)
    expert_return = float(episodes["returns"][:params["n"]].mean())
    rand = random_return(env, 10, seed)
    if params["kind"] == "gail":
        fit = irl_stage(folder / "gail.pt", env_fn(params["env"]), as_demonstrations(episodes, params["n"]), "gail",
                        params["iterations"], seed, N_ENVS, PPO_KWARGS, deadline, **GAIL)
        if fit is None:
            return None
        policy = fit.policy
    else:
        keep = episodes["episode"] < params["n"]
        policy = PPO(env.observation_space, env.action_space, seed=seed, **PPO_KWARGS)
        behavioural_cloning(policy, episodes["obs"][keep], episodes["actions"][keep], params["epochs"], seed)
    score = evaluate(policy, env, 10)
    return {"return": score, "normalised": normalised_score(score, expert_return, rand), "n_trajectories": params["n"],
            "expert_return": expert_return, "random_return": rand,
            **({"iterations": params["iterations"]} if params["kind"] == "gail" else {"epochs": params["epochs"]})}


def training_curve(setting: str, seed: int = 0, checkpoint_root=None, n_points: int = 10):
    """A GAIL job's learning curve, read from its checkpoint: the mean true return of the generator's training
    episodes (its stochastic policy) over ``n_points`` equal windows of the iterations. Returns ``(iterations,
    returns)``, each [n_points]: the last iteration of each window and the window's mean return (NaN when no
    episode ended in it)."""
    import torch

    from .sweep import checkpoint_dir

    if SETTINGS.get(setting, {}).get("kind") != "gail":
        raise ValueError(f"setting must be a GAIL setting of {list(SETTINGS)}, got {setting!r}")
    path = checkpoint_dir(checkpoint_root, "gail_mujoco", setting, seed) / "gail.pt"
    if not path.is_file():
        raise ValueError(f"checkpoint_root: no checkpoint {path}; run the job first")
    returns = np.asarray(torch.load(path, weights_only=False)["history"]["returns"], dtype=float)
    windows = np.array_split(np.arange(len(returns)), n_points)
    means = [np.nan if np.isnan(returns[w]).all() else float(np.nanmean(returns[w])) for w in windows]
    return np.array([w[-1] + 1 for w in windows]), np.array(means)


#: Ho & Ermon (2016), appendix B: the random and expert returns of table 1 and the learned policies' returns of
#: table 3 (means over 50 trajectories; the ``-v1`` tasks of their time), per task and number of trajectories.
PAPER = {
    "hopper": {"random": 14.47, "expert": 3571.38, "gail": {4: 3614.22, 11: 3615.00, 25: 3560.85},
               "bc": {4: 50.57, 11: 1025.84, 25: 3383.96}},
    "halfcheetah": {"random": -282.43, "expert": 4463.46, "gail": {4: 4515.70, 11: 4280.65, 25: 4840.07},
                    "bc": {4: -493.62, 11: 637.57, 25: 3718.58}},
}


def paper_normalised(env: str, method: str, n: int) -> float:
    """Ho & Ermon's return for ``method`` ("gail" or "bc") from ``n`` trajectories on the normalised scale of their
    figure 1 (random policy 0, expert 1)."""
    from .evaluation import normalised_score

    paper = PAPER[env]
    return float(normalised_score(paper[method][n], paper["expert"], paper["random"]))


def summarise(values: dict) -> dict:
    """Mean and standard deviation over seeds of every value (``per_setting``; for a GAIL or BC setting its
    ``normalised`` return: 0 random actions, 1 the expert's demonstrations), and the paper's normalised returns."""
    from .sweep import numeric_summary

    settings = {key.rsplit("/seed", 1)[0] for key in values}
    paper = {s: paper_normalised(p["env"], p["kind"], p["n"]) for s, p in SETTINGS.items()
             if p["kind"] != "expert" and s in settings}
    return {"per_setting": numeric_summary(values), "paper_normalised": paper}


def claims(summary_values: dict) -> list[dict]:
    """Ho & Ermon's MuJoCo claims as claims of the sweep's summary record (schema: :mod:`irlbook.book.records`): per
    task among the summary's ``settings`` (default: all), GAIL from 25 trajectories at expert level (normalised
    return at least 0.9, the paper's about 1), and GAIL above behavioural cloning from 4 trajectories. The numbers
    are the summary's own, per seed."""
    from irlbook.book.records import judge_claims

    key = "values.summary.per_setting.{}.normalised.values"
    reasons = {"reproduced": "GAIL reaches expert level (normalised return at least 0.9), as in the paper",
               "qualitative": "the paper's ordering holds on the mean over seeds, beyond their spread",
               "not reproduced": "measured below the paper's level, or its ordering within the seeds' spread"}
    result = []
    covered = set(summary_values.get("settings", SETTINGS))
    for env in [env for env in ENVS if set(GROUPS[env]) <= covered]:
        name = ENVS[env].split("-v")[0]          # "Hopper-v5" -> "Hopper"
        scale = {"ours": f"{ENVS[env]}; PPO expert of {{values.jobs.{env}_expert/seed0.steps:,d}} steps; GAIL with a "
                         f"PPO generator for {GAIL_ITERATIONS} iterations of {N_ENVS * PPO_KWARGS['n_steps']:,d} "
                         "steps; whole expert episodes; normalised so that random actions score 0 and the expert's "
                         "demonstrations 1",
                 "paper": f"{name}-v1; TRPO expert; GAIL with TRPO for 500 iterations of 50,000 state-action pairs; "
                          "trajectories of about 50 state-action pairs; the same normalisation (figure 1)"}
        gail = paper_normalised(env, "gail", 25)
        out = [{"quantity": f"{name}: GAIL from 25 expert trajectories, normalised return",
                "paper_value": {"text": f"{PAPER[env]['gail'][25]} (normalised {gail:.2f})", "value": gail},
                "measured": {"key": key.format(f"{env}_gail_25"), "per": "seed", "format": ".2f"},
                "rule": {"reproduced": {"at_least": 0.9}, "qualitative": None}},
               {"quantity": f"{name}: GAIL above behavioural cloning from 4 expert trajectories",
                "paper_value": {"text": f"GAIL {PAPER[env]['gail'][4]} vs BC {PAPER[env]['bc'][4]}", "value": None},
                "measured": {"key": key.format(f"{env}_gail_4"), "versus": key.format(f"{env}_bc_4"),
                             "per": "seed", "format": ".2f"},
                "rule": {"reproduced": None, "qualitative": {"above_versus": True}}}]
        result += [{"paper": "ho2016generative", "chapter": "07_irl_as_gan", **claim, "scale": scale} for claim in out]
    return judge_claims(result, summary_values, reasons)


def main(argv=None):
    from .sweep import main as sweep

    return sweep(["gail_mujoco", *(argv or [])])
