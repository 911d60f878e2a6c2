"""Fu, Luo & Levine (2018)'s disabled-ant transfer with an on-policy generator, as resumable jobs (ch. 7).

Jobs (setting, seed), run by the sweep runner (:mod:`.sweep`)::

    python -m irlbook.experiments disabled_ant                       # = sweep disabled_ant: all jobs, local cores
    python -m irlbook.experiments sweep disabled_ant --address auto  # on a Ray cluster

* ``expert``: PPO on ``Ant-v5`` (the true reward) and ``N_DEMOS`` demonstrations of the trained policy;
* ``airl``, ``gail``, ``gan_gcl`` (after ``expert``): the method's reward learned on ``Ant-v5`` with a PPO
  generator, then re-optimised with PPO from scratch on the disabled ant (``irlbook/DisabledAnt-v0``: front legs
  shortened, their motors off); the value is the true return of the re-optimised policy on the disabled ant;
* ``airl_bc``, ``gail_bc``, ``gan_gcl_bc``: the same with the generator first fitted to the demonstrations by
  behavioural cloning (not in the paper: from scratch, no method imitates the expert on ``Ant-v5`` within the
  IRL stage's 2 million steps here); they also score the cloned policy alone on ``Ant-v5`` (``cloned_*``);
* ``true_reward``: PPO on the disabled ant's own reward, the ceiling.

Both ants run without the contact forces in the observation (``include_cfrc_ext_in_observation=False``) and
without early termination (a fixed horizon, as the logit rewards need). Fu et al.'s table 2 (TRPO, rllab's ant,
whose reward differs in scale from ``Ant-v5``'s): AIRL 130.3, GAIL -58.8, GAN-GCL -44.8, the true reward 315.5:
compare the ordering, not the numbers. Each variant (from scratch, cloned first) is one group with its own summary,
``disabled_ant_scratch_sweep`` and ``disabled_ant_cloned_sweep``. Each stage checkpoints every few minutes under
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
#: the adversarial settings, after Fu et al.'s released code: 32 x 32 networks; a few small discriminator steps
#: per batch (theirs: 10 Adam steps of 32 at 1e-3 per 10,000 samples; here 2 per 2,048); half of each policy
#: minibatch from earlier policies ("fusion"); AIRL's and GAN-GCL's generator rewarded by f - 0.1 log pi (their
#: entropy weight 0.1); in addition, inputs standardised by the demonstrations' statistics
IRL = {"disc_steps": 2, "disc_batch": 32, "disc_lr": 1e-3, "disc_hidden": (32, 32), "normalise_obs": True,
       "policy_replay": 10_000, "entropy_weight": 0.1}
METHODS = ("airl", "gail", "gan_gcl")
#: epochs of behavioural cloning that start the generator of a ``<method>_bc`` setting
BC_EPOCHS = 100
#: setting -> its parameters (agent steps; IRL iterations of N_ENVS * n_steps steps each). Each IRL method runs
#: twice: ``<method>`` with the generator from scratch, as in the paper, and ``<method>_bc`` with the generator
#: first fitted to the demonstrations by behavioural cloning (``AdversarialConfig.bc_epochs``; not in the paper)
SETTINGS = {
    "expert": {"steps": 5_000_000},
    "true_reward": {"steps": 3_000_000},
    **{m: {"method": m, "iterations": 1000, "reopt_steps": 3_000_000} for m in METHODS},
    **{f"{m}_bc": {"method": m, "iterations": 1000, "reopt_steps": 3_000_000, "bc_epochs": BC_EPOCHS}
       for m in METHODS},
}
#: each job's prerequisite (same seed): an IRL job reads the expert's demonstrations and, to diagnose its reward,
#: the true-reward policy (:func:`reward_per_step`)
DEPENDS = {"true_reward": "expert", **{s: "true_reward" for s, p in SETTINGS.items() if "method" in p}}
#: the IRL variants (setting suffix -> what it is): each is one reproduction with its own summary and claims
VARIANTS = {"": "generator from scratch", "_bc": "generator cloned first"}
GROUPS = {"scratch" if suffix == "" else "cloned": ["expert", "true_reward", *(m + suffix for m in METHODS)]
          for suffix in VARIANTS}
SEEDS = [0, 1, 2]
PAPER = {"airl": 130.3, "gail": -58.8, "gan_gcl": -44.8, "true_reward": 315.5}


def make_ant(disabled: bool = False, **kwargs):
    """``Ant-v5`` (or the disabled ant) as the experiment runs it; ``kwargs`` go to ``gymnasium.make``."""
    import irlbook.envs  # noqa: F401  (registers the disabled ant)
    from irlbook.envs.ant import make_ant as make

    return make(disabled=disabled, **ENV_KWARGS, **kwargs)


def make_disabled(**kwargs):
    return make_ant(disabled=True, **kwargs)


def bodies(params: dict):
    """The makers of the ant and of the disabled ant for a setting's parameters ``params`` (``episode_steps``, for
    toy runs, shortens their episodes)."""
    limit = {} if params.get("episode_steps") is None else {"max_episode_steps": params["episode_steps"]}
    return (lambda: make_ant(**limit)), (lambda: make_disabled(**limit))


def scores(agent, env, prefix: str, n_episodes: int = 10, seed: int = 10_000, reward_fn=None) -> dict:
    """``<prefix>_return`` and ``<prefix>_forward``: the mean true return and forward reward (the sum of
    ``Ant-v5``'s ``reward_forward``, the x-velocity, the paper's unit) of ``agent``'s deterministic policy over
    ``n_episodes`` seeded episodes of ``env`` (``agent`` None: uniformly random actions), and the per-episode
    forward rewards ``<prefix>_forward_episodes``. With a learned ``reward_fn`` (obs, actions, next_obs -> [N]),
    also what it pays per step on the same episodes, ``<prefix>_reward_per_step`` (:func:`reward_per_step`)."""
    from .evaluation import episode_totals

    policy = None if agent is None else (lambda obs: agent.act(obs, deterministic=True))
    totals = episode_totals(env, policy, n_episodes, seed, info_keys=("reward_forward",),
                            transitions=reward_fn is not None)
    env.close()
    return {f"{prefix}_return": float(totals["returns"].mean()),
            f"{prefix}_forward": float(totals["reward_forward"].mean()),
            f"{prefix}_forward_episodes": totals["reward_forward"].tolist(),
            **({} if reward_fn is None else {f"{prefix}_reward_per_step": reward_per_step(reward_fn, totals)})}


def reward_steps(reward_fn, transitions: dict):
    """``reward_fn(obs, actions, next_obs)`` [N] (a tensor) on ``transitions`` (arrays ``obs``, ``actions``,
    ``next_obs`` [N, ...]): what a learned reward pays at each step."""
    import torch

    batch = [torch.as_tensor(transitions[k], dtype=torch.float32) for k in ("obs", "actions", "next_obs")]
    return reward_fn(*batch)


def reward_per_step(reward_fn, transitions: dict) -> float:
    """The mean of :func:`reward_steps`: what a learned reward pays per step for that behaviour."""
    return float(reward_steps(reward_fn, transitions).mean())


def run_job(setting: str, seed: int, checkpoint_dir, max_seconds=None, settings: dict | None = None):
    """One job's values, or None when stopped after ``max_seconds`` (``settings`` overrides :data:`SETTINGS`).

    Every job scores its final policy on the disabled ant (``disabled_return``, ``disabled_forward``); the expert
    also on ``Ant-v5`` (``ant_*``), the IRL jobs their imitation policy on ``Ant-v5`` (``imitation_*``) and the
    true-reward job a uniformly random policy on the disabled ant (``random_*``). An IRL job also reports what its
    learned reward pays per step (:func:`reward_per_step`) for the demonstrations (``reward_on_demonstrations``),
    for the true-reward policy's and for its own re-optimised policy's deterministic episodes on the disabled ant
    (``reward_on_true_reward_policy``, ``reward_on_reoptimised_policy``): a reward that pays more for the second
    than for the first has not transferred, whatever the optimiser does."""
    from irlbook.deep.adversarial import learned_reward

    from .onpolicy import (
        as_demonstrations,
        deadline_after,
        expert_episodes,
        irl_stage,
        load_finished_ppo,
        ppo_stage,
    )

    params = (settings or SETTINGS)[setting]
    folder, deadline = Path(checkpoint_dir), deadline_after(max_seconds)
    # optional, for toy runs: shorter episodes, fewer demonstrations and evaluation episodes
    ant, disabled = bodies(params)
    n_demos, n_eval = params.get("n_demos", N_DEMOS), params.get("eval_episodes", 10)
    if setting == "expert":
        agent = ppo_stage(folder / "ppo.pt", ant, params["steps"], seed, N_ENVS, PPO_KWARGS, deadline=deadline)
        if agent is None:
            return None
        episodes = expert_episodes(folder, ant, params["steps"], seed, n_demos, PPO_KWARGS)
        return {"expert_return": float(episodes["returns"].mean()), "n_demos": n_demos,
                "expert_steps": params["steps"], **scores(agent, ant(), "ant", n_eval),
                **scores(agent, disabled(), "disabled", n_eval)}
    if setting == "true_reward":
        agent = ppo_stage(folder / "ppo.pt", disabled, params["steps"], seed, N_ENVS, PPO_KWARGS, deadline=deadline)
        if agent is None:
            return None
        return {"steps": params["steps"], **scores(agent, disabled(), "disabled", n_eval),
                **scores(None, disabled(), "random", n_eval)}
    expert = (settings or SETTINGS)["expert"]         # its demonstrations (drawn again if the file is missing)
    episodes = expert_episodes(folder.parent.parent / "expert" / folder.name, ant, expert["steps"], seed,
                               expert.get("n_demos", N_DEMOS), PPO_KWARGS)
    demos = as_demonstrations(episodes)
    bc_epochs = params.get("bc_epochs", 0)
    fit = irl_stage(folder / "irl.pt", ant, demos, params["method"], params["iterations"], seed, N_ENVS,
                    PPO_KWARGS, deadline, **IRL, bc_epochs=bc_epochs)
    if fit is None:
        return None
    reward = learned_reward(fit.discriminator)
    agent = ppo_stage(folder / "reopt.pt", disabled, params["reopt_steps"], seed, N_ENVS, PPO_KWARGS,
                      reward_fn=reward, deadline=deadline)
    if agent is None:
        return None
    env = disabled()
    baseline = load_finished_ppo(folder.parent.parent / "true_reward" / folder.name / "ppo.pt", env,
                                 (settings or SETTINGS)["true_reward"]["steps"], seed, PPO_KWARGS)
    if baseline is None:
        raise ValueError(f"checkpoint_dir: the true_reward job of seed {seed} has not finished next to {folder}")
    reoptimised = scores(agent, env, "disabled", n_eval, reward_fn=reward)     # closes env
    on_baseline = scores(baseline, disabled(), "baseline", n_eval, reward_fn=reward)
    cloned = {} if not bc_epochs else scores(_cloned_policy(episodes, bc_epochs, seed), ant(), "cloned", n_eval)
    return {"iterations": params["iterations"], "reopt_steps": params["reopt_steps"], "discriminator": IRL,
            "bc_epochs": bc_epochs, **cloned,
            **{key: value for key, value in reoptimised.items() if key != "disabled_reward_per_step"},
            **scores(fit.policy, ant(), "imitation", n_eval),
            "reward_on_demonstrations": reward_per_step(reward, episodes),
            "reward_on_true_reward_policy": on_baseline["baseline_reward_per_step"],
            "reward_on_reoptimised_policy": reoptimised["disabled_reward_per_step"]}


def _cloned_policy(episodes: dict, epochs: int, seed: int):
    """Behavioural cloning alone on the demonstrations ``episodes``: the policy a ``<method>_bc`` generator starts
    from (the same fit on a PPO agent of the same seed), to score on its own."""
    from irlbook.deep.bc import behavioural_cloning
    from irlbook.deep.ppo import PPO

    env = make_ant()
    agent = PPO(env.observation_space, env.action_space, seed=seed, **PPO_KWARGS)
    env.close()
    behavioural_cloning(agent, episodes["obs"], episodes["actions"], epochs, seed)
    return agent


def load_agent(setting: str, seed: int = 0, checkpoint_root=None, settings: dict | None = None):
    """The final policy of a finished job, from its checkpoint: ``expert`` (trained on ``Ant-v5``), ``true_reward``
    (on the disabled ant) or an IRL method (its reward re-optimised on the disabled ant, ``reopt.pt``); None when
    the job has not finished here (e.g. in Colab, where ``results/`` is not installed). ``settings`` overrides
    :data:`SETTINGS`, as in :func:`run_job`."""
    from .onpolicy import load_finished_ppo
    from .sweep import checkpoint_dir

    settings = settings or SETTINGS
    if setting not in settings:
        raise ValueError(f"setting must be one of {list(settings)}, got {setting!r}")
    path = checkpoint_dir(checkpoint_root, "disabled_ant", setting, seed) / ("ppo.pt" if setting in ("expert",
                                                                                 "true_reward") else "reopt.pt")
    if not path.is_file():
        return None
    steps = settings[setting].get("steps", settings[setting].get("reopt_steps"))
    env = make_ant()
    agent = load_finished_ppo(path, env, steps, seed, PPO_KWARGS)
    env.close()
    return agent


def policy_frames(agent, disabled: bool, n_steps: int = 300, every: int = 60, seed: int = 10_000,
                  width: int = 240, height: int = 180) -> dict:
    """``agent``'s deterministic policy on the ant (or the disabled ant) for ``n_steps`` steps from a seeded reset,
    seen by the model's tracking camera: ``frames`` [k] of [height, width, 3] uint8 (every ``every``-th step, the
    start included), their ``steps`` [k] and the torso's ``x`` position in metres [k]. Needs off-screen rendering
    (``MUJOCO_GL=egl`` or ``osmesa``)."""
    from irlbook.book.rendering import rollout_frames

    env = make_ant(disabled, render_mode="rgb_array", width=width, height=height, camera_name="track")
    xs = []

    def policy(obs):
        xs.append(float(env.unwrapped.data.qpos[0]))
        return agent.act(obs, deterministic=True)

    try:
        frames, steps = rollout_frames(env, policy, n_steps=n_steps, every=every, seed=seed)
        xs.append(float(env.unwrapped.data.qpos[0]))
    finally:
        env.close()
    return {"frames": frames, "steps": steps, "x": [xs[t] for t in steps]}


def summarise(values: dict) -> dict:
    """Mean and standard deviation over seeds of every value, and per IRL method its forward reward on the disabled
    ant normalised seed by seed: ``(F - F_random) / (F_true_reward - F_random)`` (0: random actions, 1: PPO on
    the true reward)."""
    import numpy as np

    from .evaluation import normalised_score
    from .sweep import numeric_summary

    normalised = {}
    for key, job in values.items():
        setting, seed = key.rsplit("/seed", 1)
        baseline = values.get(f"true_reward/seed{seed}")
        if "method" in SETTINGS.get(setting, {}) and job and baseline:
            normalised.setdefault(setting, []).append(normalised_score(
                job["disabled_forward"], baseline["disabled_forward"], baseline["random_forward"]))
    return {"per_setting": numeric_summary(values),
            "normalised_forward": {s: {"values": v, "mean": float(np.mean(v)), "std": float(np.std(v))}
                                   for s, v in normalised.items()},
            "paper_disabled_return": PAPER,
            "paper_note": "Fu et al. (2018), table 2: TRPO on rllab's ant, whose reward differs in scale from Ant-v5's"}


def claims(summary_values: dict) -> list[dict]:
    """Fu et al.'s disabled-ant claims as claims of a sweep's summary record (schema: :mod:`irlbook.book.records`),
    for each variant (:data:`VARIANTS`) whose three IRL settings are among the summary's ``settings`` (default:
    all): AIRL's normalised forward reward against the paper's 130.3 / 315.5, and AIRL above GAIL and above GAN-GCL
    (the paper's ordering). The numbers are the summary's own, per seed; the verdicts follow from them."""
    from irlbook.book.records import judge_claims

    key = "values.summary.normalised_forward.{}.values"
    ratio = PAPER["airl"] / PAPER["true_reward"]
    reasons = {"reproduced": "AIRL reaches at least 0.4 of the true-reward baseline, as in the paper",
               "qualitative": "the paper's ordering holds on the mean over seeds, beyond their spread",
               "not reproduced": "measured below the paper's level, or its ordering within the seeds' spread"}
    covered = set(summary_values.get("settings", SETTINGS))
    out = []
    for suffix, how in VARIANTS.items():
        if not {m + suffix for m in METHODS} <= covered:
            continue
        airl = "airl" + suffix
        start = (f"the generator first fitted to the demonstrations by {BC_EPOCHS} epochs of behavioural cloning"
                 if suffix else "the generator from scratch")
        scale = {"ours": "PPO generator; expert {values.jobs.expert/seed0.expert_steps:,d} steps on Ant-v5, "
                         "{values.jobs.expert/seed0.n_demos} demonstrations, "
                         f"{{values.jobs.{airl}/seed0.iterations}} IRL iterations of 2,048 steps with {start}, "
                         f"re-optimised for {{values.jobs.{airl}/seed0.reopt_steps:,d}} steps; normalised so that "
                         "random actions score 0 and PPO on the disabled ant's reward 1",
                 "paper": "TRPO generator from scratch on rllab's ant; the table's forward reward, the true-reward "
                          "TRPO at 315.5"}
        claims_ = [{"quantity": f"disabled ant ({how}): AIRL's re-optimised reward, forward reward relative to the "
                                "true reward's",
                    "paper_value": {"text": f"{PAPER['airl']} of {PAPER['true_reward']} ({ratio:.2f})",
                                    "value": ratio},
                    "measured": {"key": key.format(airl), "per": "seed", "format": ".2f"},
                    "rule": {"reproduced": {"at_least": 0.4}, "qualitative": None}}]
        for method, name in (("gail", "GAIL"), ("gan_gcl", "GAN-GCL")):
            claims_.append({"quantity": f"disabled ant ({how}): AIRL's re-optimised reward above {name}'s",
                            "paper_value": {"text": f"AIRL {PAPER['airl']} vs {name} {PAPER[method]}",
                                            "value": None},
                            "measured": {"key": key.format(airl), "versus": key.format(method + suffix),
                                         "per": "seed", "format": ".2f"},
                            "rule": {"reproduced": None, "qualitative": {"above_versus": True}}})
        out += [{"paper": "fu2018learning", "chapter": "07_irl_as_gan", **claim, "scale": scale}
                for claim in claims_]
    return judge_claims(out, summary_values, reasons)


def main(argv=None):
    from .sweep import main as sweep

    return sweep(["disabled_ant", *(argv or [])])
