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


def main(argv=None) -> dict:
    parser = common.parser("adversarial_control", __doc__)
    parser.add_argument("--tasks", nargs="+", default=["cartpole", "pendulum"], choices=sorted(SAC_KW))
    parser.add_argument("--methods", "--kinds", dest="methods", nargs="+", default=["gail", "airl", "gan_gcl"],
                        choices=["gail", "airl", "gan_gcl"])
    parser.add_argument("--iterations", type=int, default=80)
    common.add_seeds(parser, [0, 1, 2])
    parser.add_argument("--generator-reward", default="f", choices=["f", "logit"],
                        help="'logit': SAC on l = f - log pi at automatic temperature (the entropy counted twice)")
    common.add_name(parser, "adversarial_control")
    args = common.parse(parser, argv)
    values = {"iterations": args.iterations, "seeds": args.seeds, "generator_reward": args.generator_reward}
    for task in args.tasks:
        demos, record = expert_demos(task)
        env = preset_env(task)
        R_expert, R_random = record["mean_return"], record["random_mean_return"]
        values[task] = {"env": record["env_id"], "absorbing_horizon": record.get("absorbing_horizon"),
                        "demos": record["source"], "n_demos": record["n_demos"],
                        "R_expert": R_expert, "R_random": R_random}
        for kind in args.methods:
            returns, seconds = [], []
            for seed in args.seeds:
                start = time.perf_counter()
                config = AdversarialConfig(method=kind, n_iterations=args.iterations, random_iterations=3,
                                           sac_kwargs=SAC_KW[task], device="cpu", seed=seed,
                                           generator_reward_kind=args.generator_reward)
                fit = adversarial_imitation(env, Demonstrations.from_rollouts(demos), config)
                returns.append(mean_return(fit.policy, env, 10))
                seconds.append(time.perf_counter() - start)
                print(f"{task} {kind} seed {seed}: return {returns[-1]:.1f}, "
                      f"normalised {normalised_score(returns[-1], R_expert, R_random):.3f} ({seconds[-1]:.0f} s)",
                      flush=True)
            scores = [normalised_score(R, R_expert, R_random) for R in returns]
            values[task][kind] = {"returns": returns, "normalised": scores, "mean_normalised": float(np.mean(scores)),
                                  "std_normalised": float(np.std(scores)), "seconds": seconds}
    common.save(args.name, values, args.seeds, "adversarial_control", argv)
    return values


if __name__ == "__main__":
    main()
