"""Speed floor of the tabular core.

Soft value iteration plus state visitation on a sparse 128 x 128 gridworld
(16,384 states, 5 actions, T = 100) must take under one second on one CPU core.
Run it pinned to one core:

    OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 taskset -c 0 .venv/bin/python benchmarks/speed_floor.py

and it prints the best and median of several repetitions and writes
``results/benchmark_speed_floor.json`` with provenance.
"""

from __future__ import annotations

import argparse
import statistics
import time

import irlbook
from irlbook.book.records import save_result
from irlbook.envs import GridWorld


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--size", type=int, default=128)
    parser.add_argument("--horizon", type=int, default=100)
    args = parser.parse_args()

    world = GridWorld(size=args.size, macrocells=8, stay_action=True, noise=0.3, horizon=args.horizon,
                      discount=0.99, seed=0)
    times = []
    for _ in range(args.repeats):
        start = time.perf_counter()
        plan = irlbook.soft_value_iteration(world.mdp, world.reward)
        irlbook.state_visitation(world.mdp, plan.policy)
        times.append(time.perf_counter() - start)
    best, median = min(times), statistics.median(times)
    print(f"soft VI + visitation, {world.mdp.n_states} states x {world.mdp.n_actions} actions, "
          f"T={args.horizon}: best {best:.3f} s, median {median:.3f} s over {args.repeats} runs")
    save_result("benchmark_speed_floor",
                {"n_states": world.mdp.n_states, "n_actions": world.mdp.n_actions, "horizon": args.horizon,
                 "best_seconds": best, "median_seconds": median, "target_seconds": 1.0},
                command="OMP_NUM_THREADS=1 taskset -c 0 python benchmarks/speed_floor.py")


if __name__ == "__main__":
    main()
