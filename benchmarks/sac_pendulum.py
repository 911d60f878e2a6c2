"""SAC (irlbook.deep.sac) on Pendulum-v1: does it learn? Writes results/sac_pendulum.json with provenance.

    OMP_NUM_THREADS=1 python benchmarks/sac_pendulum.py --episodes 50 --seeds 0
"""

from __future__ import annotations

import argparse
import sys
import time

import gymnasium as gym
import numpy as np
import torch

from irlbook import get_device
from irlbook.book.records import save_result
from irlbook.deep.sac import SAC


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--episodes", type=int, default=50)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0])
    parser.add_argument("--hidden", type=int, default=128)
    args = parser.parse_args(argv)
    torch.set_num_threads(1)
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
        print(f"seed {seed}: random {random:.1f}, after {args.episodes} episodes {final:.1f} ({seconds:.0f} s)", flush=True)
    save_result("sac_pendulum", {"episodes": args.episodes, "hidden": args.hidden, "runs": rows}, seed=args.seeds,
                command="OMP_NUM_THREADS=1 python benchmarks/sac_pendulum.py " + " ".join(argv or sys.argv[1:]))


if __name__ == "__main__":
    main()
