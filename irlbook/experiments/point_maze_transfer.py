"""The continuous shifting point maze over several seeds (quick-profile settings of notebook 07b, part b);
writes results/<--name>.json with provenance.

    OMP_NUM_THREADS=1 python -m irlbook.experiments point_maze_transfer --seeds 0 1 2 --methods airl gail gan_gcl

Each seed records 20 scripted demonstrations in the left-opening maze and runs
:func:`irlbook.book.protocols.transfer_experiment`: every method learns there, and its reward is
re-optimised from scratch in the right-opening maze (as is the true reward).
"""

from __future__ import annotations

import gymnasium as gym
import numpy as np

import irlbook  # noqa: F401  (registers irlbook/PointMaze-v0)
from irlbook import Demonstrations
from irlbook.book.protocols import transfer_experiment
from irlbook.envs import scripted_maze_demos
from irlbook.experiments import common
from irlbook.experiments.evaluation import mean_return


def main(argv=None) -> dict:
    parser = common.parser("point_maze_transfer", __doc__)
    common.add_seeds(parser, [0, 1, 2])
    parser.add_argument("--methods", "--kinds", dest="methods", nargs="+", default=["airl", "gail"],
                        choices=["airl", "gail", "gan_gcl"])
    parser.add_argument("--iterations", type=int, default=60)
    parser.add_argument("--reopt-episodes", type=int, default=None, help="SAC episodes in the test layout")
    parser.add_argument("--device", default=None)
    common.add_name(parser, "airl_point_maze_quick_seeds")
    args = common.parse(parser, argv)
    train = gym.make("irlbook/PointMaze-v0", layout="left").unwrapped
    test = gym.make("irlbook/PointMaze-v0", layout="right").unwrapped
    values = {"iterations": args.iterations, "reopt_episodes": args.reopt_episodes or args.iterations,
              "seeds": args.seeds, "kinds": args.methods, "n_demos": 20,
              "sac": {"hidden": [64, 64], "batch_size": 128}, "test": {}, "train_imitation": {}}
    for seed in args.seeds:
        demos = Demonstrations.from_rollouts(scripted_maze_demos(train, 20, seed=seed))
        run = transfer_experiment(train, test, demos, args.iterations, methods=tuple(args.methods),
                                  sac_kwargs=dict(hidden=(64, 64), batch_size=128), device=args.device, seed=seed,
                                  reopt_episodes=args.reopt_episodes)
        for name, value in run["returns"].items():
            values["test"].setdefault(name, []).append(value)
        for kind, fit in run["fits"].items():
            values["train_imitation"].setdefault(kind, []).append(mean_return(fit.policy, train))
        print(seed, {k: round(v, 2) for k, v in run["returns"].items()}, flush=True)
    values["expert_train"] = float(scripted_maze_demos(train, 10, seed=1)["returns"].mean())
    values["expert_test"] = float(scripted_maze_demos(test, 10, seed=1)["returns"].mean())
    values["means"] = {name: float(np.mean(v)) for name, v in values["test"].items()}
    print(values["means"], flush=True)
    common.save(args.name, values, args.seeds, "point_maze_transfer", argv)
    return values


if __name__ == "__main__":
    main()
