"""GAIL, AIRL and GAN-GCL imitation on CartPole-v1 and Pendulum-v1 over several seeds (chapter 7, notebook 07c).

    OMP_NUM_THREADS=1 python -m irlbook.experiments adversarial_control --iterations 80 --seeds 0 1 2

reads the stored demonstrations of the presets ``cartpole`` and ``pendulum`` (shipped with the package,
``python -m irlbook.experiments expert_demos`` makes them), runs each method for ``--iterations`` episodes
per seed with SAC as the generator, and writes Ho & Ermon's normalised score
``(R - R_random) / (R_expert - R_random)`` -- R of the imitator's deterministic policy over 10 episodes,
R_expert the demonstrations' mean return, R_random a uniform policy's -- to
``results/adversarial_control.json`` with provenance.
"""

from __future__ import annotations

import time

import numpy as np

from irlbook import Demonstrations
from irlbook.book.presets import expert_demos, preset_env
from irlbook.deep.adversarial import AdversarialConfig, adversarial_imitation
from irlbook.experiments import common
from irlbook.experiments.evaluation import mean_return, normalised_score

# the generator's SAC settings per task (the expert's own presets are in irlbook.book.presets.PRESETS)
SAC_KW = {"cartpole": dict(hidden=(64, 64), lr=1e-3, batch_size=128),
          "pendulum": dict(hidden=(64, 64), batch_size=256)}


def run_one(task: str, method: str, iterations: int, seed: int = 0, generator_reward: str = "f",
            device="cpu") -> dict:
    """One imitation run: ``method`` on the preset ``task`` for ``iterations`` episodes from its stored
    demonstrations. Returns ``return`` (the deterministic policy's mean true return over 10 episodes),
    ``normalised`` (Ho & Ermon's score), ``history`` (the fit's per-iteration lists: ``returns``,
    ``policy_prob``, ...) and ``seconds``."""
    start = time.perf_counter()
    demos, record = expert_demos(task, device=device)
    env = preset_env(task)
    config = AdversarialConfig(method=method, n_iterations=iterations, random_iterations=3, sac_kwargs=SAC_KW[task],
                               device=device, seed=seed, generator_reward_kind=generator_reward)
    fit = adversarial_imitation(env, Demonstrations.from_rollouts(demos), config)
    R = mean_return(fit.policy, env, 10)
    return {"return": R, "normalised": normalised_score(R, record["mean_return"], record["random_mean_return"]),
            "history": {k: list(v) for k, v in fit.history.items()}, "seconds": time.perf_counter() - start}


def run_jobs(jobs: list, workers: int | None = None) -> list:
    """:func:`run_one` for every job (a dict of its arguments), ``workers`` at a time in fresh processes
    (default: the cores; 1 runs them here, one after another); results in the order of ``jobs``.
    Each run is seeded, so the results do not depend on ``workers``."""
    return common.map_jobs(run_one, jobs, workers)


def main(argv=None) -> dict:
    parser = common.parser("adversarial_control", __doc__)
    parser.add_argument("--tasks", nargs="+", default=["cartpole", "pendulum"], choices=sorted(SAC_KW))
    parser.add_argument("--methods", "--kinds", dest="methods", nargs="+", default=["gail", "airl", "gan_gcl"],
                        choices=["gail", "airl", "gan_gcl"])
    parser.add_argument("--iterations", type=int, default=80)
    common.add_seeds(parser, [0, 1, 2])
    parser.add_argument("--generator-reward", default="f", choices=["f", "logit"],
                        help="'logit': SAC on l = f - log pi at automatic temperature (the entropy counted twice)")
    parser.add_argument("--workers", type=int, default=1, help="runs at a time, one core each (default 1)")
    common.add_name(parser, "adversarial_control")
    args = common.parse(parser, argv)
    values = {"iterations": args.iterations, "seeds": args.seeds, "generator_reward": args.generator_reward}
    jobs = [{"task": task, "method": kind, "iterations": args.iterations, "seed": seed,
             "generator_reward": args.generator_reward}
            for task in args.tasks for kind in args.methods for seed in args.seeds]
    results = dict(zip(((j["task"], j["method"], j["seed"]) for j in jobs), run_jobs(jobs, args.workers), strict=True))
    for task in args.tasks:
        record = expert_demos(task)[1]
        values[task] = {"env": record["env_id"], "absorbing_horizon": record.get("absorbing_horizon"),
                        "demos": record["source"], "n_demos": record["n_demos"],
                        "R_expert": record["mean_return"], "R_random": record["random_mean_return"]}
        for kind in args.methods:
            runs = [results[task, kind, seed] for seed in args.seeds]
            for seed, run in zip(args.seeds, runs, strict=True):
                print(f"{task} {kind} seed {seed}: return {run['return']:.1f}, normalised {run['normalised']:.3f} "
                      f"({run['seconds']:.0f} s)", flush=True)
            scores = [run["normalised"] for run in runs]
            values[task][kind] = {"returns": [run["return"] for run in runs], "normalised": scores,
                                  "mean_normalised": float(np.mean(scores)), "std_normalised": float(np.std(scores)),
                                  "seconds": [run["seconds"] for run in runs]}
    common.save(args.name, values, args.seeds, "adversarial_control", argv)
    return values


if __name__ == "__main__":
    main()
