"""What the disabled ant's learned rewards track (ch. 7)::

    MKL_ENABLE_INSTRUCTIONS=SSE4_2 python -m irlbook.experiments disabled_ant_rewards --seeds 0 1 2

For each finished IRL job of the disabled-ant sweep (:mod:`.disabled_ant`), its learned reward (AIRL's ``g(s')``,
GAN-GCL's ``f(s, a)``, GAIL's logit, read from the job's checkpoint) is evaluated step by step on three sets of
transitions: the expert's demonstrations on ``Ant-v5``, and the deterministic episodes on the disabled ant of the
policy trained on the true reward and of the policy re-optimised on the learned reward. For each set, and for the
three pooled, the record holds the reward's mean per step, the mean forward velocity of the torso in ``s'`` (the
observation's ``qvel[0]``, the quantity whose sum over an episode is the paper's score) and the correlation of the
reward with that velocity and with the torso's height (``qpos[2]``, the observation's first entry). A reward that
pays for going forward rises with the velocity across the pooled sets; one that separates gaits need not.

The episodes are the jobs' own evaluation episodes only when they are rolled out through the same matrix-product
kernels as the jobs were: a walking ant is chaotic, and AVX-512 and SSE4.2 products, which differ in the last bits,
give other episodes from the same checkpoint. Run it with the jobs' MKL pin (their records' ``device``; the sweep's
commands use ``MKL_ENABLE_INSTRUCTIONS=SSE4_2``). Each job's entry says whether its three reward means equal its job
record's ``reward_on_*`` values (``matches_job_record``; None without a record).
"""

from __future__ import annotations

from . import common

#: observation entries of the ant (27 dimensions, no contact forces): the torso's height and forward velocity
HEIGHT, VELOCITY = 0, 13
SETS = ("demonstrations", "true_reward_policy", "reoptimised_policy")
#: each set's reward mean in a job record of the sweep
JOB_KEYS = {"demonstrations": "reward_on_demonstrations", "true_reward_policy": "reward_on_true_reward_policy",
            "reoptimised_policy": "reward_on_reoptimised_policy"}


def load_reward(setting: str, seed: int = 0, checkpoint_root=None, settings: dict | None = None):
    """The learned reward ``reward_fn(obs, actions, next_obs) -> [N]`` of a finished IRL job of the disabled-ant
    sweep, from its checkpoint ``irl.pt``; None when that stage has not finished here. ``settings`` overrides
    :data:`.disabled_ant.SETTINGS` (toy runs)."""
    import torch

    from irlbook.deep.adversarial import Discriminator, learned_reward

    from .disabled_ant import IRL, SETTINGS, make_ant
    from .sweep import checkpoint_dir

    settings = settings or SETTINGS
    irl_settings = [s for s, p in settings.items() if "method" in p]
    if setting not in irl_settings:
        raise ValueError(f"setting must be one of {irl_settings}, got {setting!r}")
    path = checkpoint_dir(checkpoint_root, "disabled_ant", setting, seed) / "irl.pt"
    if not path.is_file():
        return None
    state = torch.load(path, map_location="cpu", weights_only=False)
    if state["iteration"] < settings[setting]["iterations"]:
        return None
    env = make_ant()
    obs_dim, act_dim = env.observation_space.shape[0], env.action_space.shape[0]
    env.close()
    disc = Discriminator(settings[setting]["method"], obs_dim, act_dim, hidden=IRL["disc_hidden"])
    if "obs_mean" in state["discriminator"]:
        disc.normalise_observations(torch.zeros(obs_dim), torch.ones(obs_dim))    # buffers, overwritten below
    disc.load_state_dict(state["discriminator"])
    return learned_reward(disc.eval())


def correlation(x, y) -> float:
    """Pearson's correlation of two equal-length vectors; NaN when either is constant."""
    import numpy as np

    x, y = np.asarray(x, np.float64), np.asarray(y, np.float64)
    if x.std() == 0 or y.std() == 0:
        return float("nan")
    return float(np.corrcoef(x, y)[0, 1])


def describe(reward, transitions: dict) -> dict:
    """Per step over ``transitions`` (``obs``, ``actions``, ``next_obs`` [N, ...]): the reward's mean, the torso's
    mean forward velocity in ``s'`` and the reward's correlation with that velocity and with the torso's height."""
    import numpy as np

    from .disabled_ant import reward_steps

    r = reward_steps(reward, transitions).numpy().astype(np.float64)
    nxt = np.asarray(transitions["next_obs"], np.float64)
    return {"n": int(len(r)), "reward_mean": float(r.mean()), "velocity_mean": float(nxt[:, VELOCITY].mean()),
            "corr_velocity": correlation(r, nxt[:, VELOCITY]), "corr_height": correlation(r, nxt[:, HEIGHT])}


def diagnose(setting: str, seed: int = 0, checkpoint_root=None, settings: dict | None = None) -> dict | None:
    """:func:`describe` of ``setting``'s learned reward on each of :data:`SETS` and on the three pooled
    (``"pooled"``); None when the job, its expert or its true-reward baseline has not finished here. The policies'
    episodes are the job's own evaluation episodes (same number, same seeds), so each set's ``reward_mean`` is the
    job record's ``reward_on_*`` value."""
    import numpy as np

    from .disabled_ant import N_DEMOS, PPO_KWARGS, SETTINGS, bodies, load_agent
    from .evaluation import episode_totals
    from .onpolicy import expert_episodes
    from .sweep import checkpoint_dir

    settings = settings or SETTINGS
    reward = load_reward(setting, seed, checkpoint_root, settings)
    baseline = load_agent("true_reward", seed, checkpoint_root, settings)
    reoptimised = load_agent(setting, seed, checkpoint_root, settings)
    if reward is None or baseline is None or reoptimised is None:
        return None
    params, expert = settings[setting], settings["expert"]
    ant, disabled = bodies(params)
    n_episodes = params.get("eval_episodes", 10)
    sets = {"demonstrations": expert_episodes(checkpoint_dir(checkpoint_root, "disabled_ant", "expert", seed),
                                              ant, expert["steps"], seed,
                                              expert.get("n_demos", N_DEMOS), PPO_KWARGS)}
    for name, agent in (("true_reward_policy", baseline), ("reoptimised_policy", reoptimised)):
        env = disabled()
        sets[name] = episode_totals(env, lambda obs, agent=agent: agent.act(obs, deterministic=True), n_episodes,
                                    10_000, transitions=True)
        env.close()
    pooled = {k: np.concatenate([sets[s][k] for s in SETS]) for k in ("obs", "actions", "next_obs")}
    return {**{name: describe(reward, sets[name]) for name in SETS}, "pooled": describe(reward, pooled),
            "n_episodes": n_episodes}


def matches_job_record(diagnosis: dict, setting: str, seed: int, rel: float = 1e-5) -> bool | None:
    """Whether the reward means of :func:`diagnose` equal, to ``rel``, the ``reward_on_*`` values of the job's record
    ``disabled_ant_<setting>_seed<seed>`` in :func:`~irlbook.book.records.results_dir` (None when it has none)."""
    import json

    from irlbook.book.records import results_dir

    path = results_dir() / f"disabled_ant_{setting}_seed{seed}.json"
    if not path.is_file():
        return None
    job = json.loads(path.read_text())["values"]
    return all(abs(diagnosis[name]["reward_mean"] - job[key]) <= rel * abs(job[key]) for name, key in JOB_KEYS.items())


def main(argv=None) -> dict:
    p = common.parser("disabled_ant_rewards", __doc__)
    p.add_argument("--settings", nargs="+", default=["airl", "airl_bc", "gail", "gan_gcl"])
    p.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    p.add_argument("--checkpoint-root", default=None, help="the sweep's checkpoints (default results/checkpoints)")
    common.add_name(p, "disabled_ant_rewards")
    args = common.parse(p, argv)
    values = {}
    for setting in args.settings:
        for seed in args.seeds:
            out = diagnose(setting, seed, args.checkpoint_root)
            if out is None:
                print(f"{setting} seed {seed}: not finished here, skipped", flush=True)
                continue
            out["matches_job_record"] = matches_job_record(out, setting, seed)
            if out["matches_job_record"] is False:
                print(f"{setting} seed {seed}: the reward means differ from the job record's; rolled out through "
                      "other matrix-product kernels than the job's (see its record's device)?", flush=True)
            values[f"{setting}/seed{seed}"] = out
            print(f"{setting} seed {seed}: " + ", ".join(
                f"{name} reward {out[name]['reward_mean']:.2f} velocity {out[name]['velocity_mean']:.2f} "
                f"corr {out[name]['corr_velocity']:.2f}" for name in (*SETS, "pooled")), flush=True)
    if not values:
        raise ValueError("settings/seeds: none of these disabled-ant jobs has finished here")
    # each set's correlations and reward means over the jobs, in the order of "jobs"
    by_set = {key: {name: [job[name][key] for job in values.values()] for name in (*SETS, "pooled")}
              for key in ("corr_velocity", "reward_mean")}
    matches = [job["matches_job_record"] for job in values.values()]
    common.save(args.name, {"jobs": values, **by_set, "matches_job_record": matches, "velocity_index": VELOCITY,
                            "height_index": HEIGHT},
                args.seeds, "disabled_ant_rewards", argv)
    return values
