"""SAC (irlbook.deep.sac) on Pendulum-v1: does it learn? Writes results/sac_pendulum.json with provenance.

    OMP_NUM_THREADS=1 python -m irlbook.experiments sac_pendulum --episodes 50 --seeds 0
"""

from __future__ import annotations

import time

import gymnasium as gym

from irlbook import get_device
from irlbook.deep.sac import SAC
from irlbook.experiments import common


def main(argv=None) -> list:
    parser = common.parser("sac_pendulum", __doc__)
    parser.add_argument("--episodes", type=int, default=50)
    common.add_seeds(parser, [0])
    parser.add_argument("--hidden", type=int, default=128)
    common.add_name(parser, "sac_pendulum")
    args = common.parse(parser, argv)
    rows = []
    for seed in args.seeds:
        env = gym.make("Pendulum-v1")
        agent = SAC(env.observation_space, env.action_space, hidden=(args.hidden, args.hidden), gamma=0.99, lr=1e-3,
                    batch_size=256, device=get_device(), seed=seed)
        random = agent.rollout(env, 10, seed=10_000 + seed, random_actions=True, store=False)["returns"].mean()
        start = time.perf_counter()
        history = agent.train(env, args.episodes, seed=seed)
        seconds = time.perf_counter() - start
        final = agent.rollout(env, 10, seed=20_000 + seed, deterministic=True, store=False)["returns"].mean()
        rows.append({"seed": seed, "random_return": float(random), "final_return": float(final),
                     "training_returns": [float(r) for r in history.returns], "seconds": seconds})
        print(f"seed {seed}: random {random:.1f}, after {args.episodes} episodes {final:.1f} ({seconds:.0f} s)",
              flush=True)
    common.save(args.name, {"episodes": args.episodes, "hidden": args.hidden, "runs": rows}, args.seeds,
                "sac_pendulum", argv)
    return rows


if __name__ == "__main__":
    main()
