"""Continuous adversarial IRL experiments of chapter 7 outside the notebooks (imitation and disabled-ant transfer).

Imitation (Ho & Ermon's normalised score ``(R - R_random) / (R_expert - R_random)``)::

    python -m irlbook.experiments adversarial_continuous imitation --env Pendulum-v1 --expert-episodes 30 \
        --iterations 30 --methods gail airl --out adversarial_pendulum

trains a SAC expert on the true reward (or loads ``--demos`` written by ``python -m irlbook.experiments expert_demos``),
records ``--n-demos`` demonstrations, runs each method for ``--iterations`` episodes and writes the scores
with provenance to ``results/`` (``irlbook.book.records.save_result``).

Disabled-ant transfer (Fu et al. 2018, table 2: AIRL 130.3, GAIL -58.8, GAN-GCL -44.8, TRPO on the true
reward 315.5)::

    python -m irlbook.experiments adversarial_continuous disabled-ant --demos results/demos/ant --iterations 1000 \
        --out airl_disabled_ant

learns rewards on ``Ant-v5`` (termination off: a fixed horizon) and re-optimises each with SAC from scratch on
``irlbook/DisabledAnt-v0``, next to SAC on the true reward. The MuJoCo settings (HalfCheetah-v5, Hopper-v5,
Ant-v5, the disabled ant) need a GPU or many CPU hours and have NOT been run for the book.
"""

from __future__ import annotations

import os

os.environ.setdefault("MUJOCO_GL", "egl")

import gymnasium as gym  # noqa: E402

import irlbook  # noqa: E402,F401  (registers the irlbook environments)
from irlbook import Demonstrations  # noqa: E402
from irlbook.book.presets import collect_demonstrations, load_demonstrations, train_expert  # noqa: E402
from irlbook.deep.adversarial import AdversarialConfig, adversarial_imitation, reoptimise  # noqa: E402
from irlbook.experiments import common  # noqa: E402
from irlbook.experiments.evaluation import mean_return, normalised_score, random_return  # noqa: E402

NO_TERMINATION = {"Hopper-v5": {"terminate_when_unhealthy": False}, "Ant-v5": {"terminate_when_unhealthy": False},
                  "irlbook/DisabledAnt-v0": {"terminate_when_unhealthy": False}}


def make(env_id: str) -> gym.Env:
    return gym.make(env_id, **NO_TERMINATION.get(env_id, {}))


def get_demos(args, env: gym.Env, sac_kwargs: dict):
    if args.demos:
        demos, record = load_demonstrations(args.demos)
        return demos, float(record["mean_return"])
    expert = train_expert(env, args.expert_episodes, seed=args.seed, sac_kwargs=sac_kwargs, device=args.device)
    demos = collect_demonstrations(expert, env, args.n_demos, seed=args.seed + 1)
    return demos, mean_return(expert, env, 10)


def main(argv=None) -> dict:
    parser = common.parser("adversarial_continuous", __doc__)
    parser.add_argument("task", choices=["imitation", "disabled-ant"])
    parser.add_argument("--env", default="Pendulum-v1")
    parser.add_argument("--demos", help="demonstration file from `python -m irlbook.experiments expert_demos` "
                                        "(else train an expert)")
    parser.add_argument("--expert-episodes", type=int, default=30)
    parser.add_argument("--n-demos", type=int, default=10)
    parser.add_argument("--iterations", type=int, default=30)
    parser.add_argument("--methods", "--kinds", dest="methods", nargs="+", default=["gail", "airl"],
                        choices=["gail", "airl", "gan_gcl"])
    parser.add_argument("--hidden", type=int, nargs="+", default=[64, 64])
    common.add_seed(parser)
    parser.add_argument("--device", default=None)
    common.add_name(parser, None, required=True)
    args = common.parse(parser, argv)
    sac_kwargs = dict(hidden=tuple(args.hidden), batch_size=256)
    train_id = "Ant-v5" if args.task == "disabled-ant" else args.env
    env = make(train_id)
    demos, expert_return = get_demos(args, env, sac_kwargs)
    values = {"task": args.task, "env": train_id, "iterations": args.iterations, "n_demos": int(len(demos["returns"])),
              "expert_return": expert_return, "random_return": random_return(env, 10, args.seed + 2)}
    fits = {}
    for kind in args.methods:
        config = AdversarialConfig(method=kind, n_iterations=args.iterations, sac_kwargs=sac_kwargs,
                                   device=args.device, seed=args.seed)
        fits[kind] = adversarial_imitation(env, Demonstrations.from_rollouts(demos), config)
        score = mean_return(fits[kind].policy, env, 10)
        values[f"{kind}_return"] = score
        values[f"{kind}_normalised"] = normalised_score(score, expert_return, values["random_return"])
        print(f"{kind}: return {score:.1f}, normalised {values[f'{kind}_normalised']:.3f}", flush=True)
    if args.task == "disabled-ant":
        test = make("irlbook/DisabledAnt-v0")
        agent, _ = reoptimise(test, None, args.iterations, sac_kwargs=sac_kwargs, device=args.device, seed=args.seed)
        values["true_reward_disabled"] = mean_return(agent, test, 10)
        for kind, fit in fits.items():
            agent, _ = reoptimise(test, fit.reward, args.iterations, sac_kwargs=sac_kwargs,
                                  device=args.device, seed=args.seed)
            values[f"{kind}_reward_disabled"] = mean_return(agent, test, 10)
        values["gail_policy_disabled"] = mean_return(fits["gail"].policy, test, 10) if "gail" in fits else None
        print({k: v for k, v in values.items() if "disabled" in k}, flush=True)
    common.save(args.name, values, args.seed, "adversarial_continuous", argv, env="")
    return values


if __name__ == "__main__":
    main()
