"""A whole fit: irlbook's ``maxent_irl`` (L-BFGS on the exact gradient) against imitation 1.0.1's ``MCEIRL``
(Adam on the same gradient) on a 32 x 32 Objectworld, each run until the same relative feature gap.

Conventions (``peer.py`` has those of the forward-backward pass):

* imitation 1.0.1's ``mce_occupancy_measures`` plans *without* the discount when it is not given a
  policy, and ``MCEIRL`` relies on that, so ``MCEIRL`` with ``discount < 1`` plans undiscounted while it
  discounts occupancies: the fit therefore uses ``discount = 1``.
* ``MCEIRL`` matches occupancies over the ``H + 1`` states of each demonstration; ``maxent_irl`` over the
  ``H`` states at which decisions are taken. Each fit stops at the same relative feature gap in its own
  convention, on demonstrations drawn from the same expert.
* ``MCEIRL`` is run with three learning rates; the fastest that reaches the gap is the peer's time.

irlbook's fit is timed between the peer's runs (median). Writes ``results/benchmark_objectworld_fit.json``.
Runs in ``.bench-venv``.
"""

from __future__ import annotations

import argparse
import time

import benchlib
import numpy as np
import peer

from irlbook import maxent_irl, sample_trajectories, soft_value_iteration
from irlbook.envs import ObjectWorld


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target-gap", type=float, default=1e-4)
    parser.add_argument("--demos", type=int, default=2000)
    parser.add_argument("--max-iter", type=int, default=3000)
    args = parser.parse_args()

    import torch
    from imitation.algorithms import mce_irl
    from imitation.rewards import reward_nets

    world = ObjectWorld(size=32, seed=0, discount=1.0, horizon=8)
    mdp, features = world.mdp, world.continuous_features
    expert = soft_value_iteration(mdp.with_horizon(9), 5 * world.reward).policy
    states, actions = sample_trajectories(mdp.with_horizon(9), expert, args.demos, seed=0)

    def ours():
        return maxent_irl(mdp, features, states[:, :8], actions[:, :8], tol=args.target_gap)

    fit = ours()
    env = peer.imitation_env(mdp, features)
    demo_om = np.zeros(mdp.n_states)
    np.add.at(demo_om, states.ravel(), 1.0)
    demo_om /= args.demos
    demo_counts = demo_om @ features
    runs, ours_times = [], []
    for lr in (0.01, 0.03, 0.1):
        torch.manual_seed(0)
        net = reward_nets.BasicRewardNet(env.observation_space, env.action_space, use_action=False,
                                         hid_sizes=()).double()
        trainer = mce_irl.MCEIRL(demo_om, env, net, optimizer_kwargs={"lr": lr}, discount=1.0,
                                 log_interval=None, linf_eps=0.0, grad_l2_eps=0.0,
                                 rng=np.random.default_rng(0))
        obs = torch.as_tensor(env.observation_matrix, dtype=torch.float64)
        start = time.perf_counter()
        gap, iterations = np.inf, 0
        while gap > args.target_gap and iterations < args.max_iter:
            _, visitations = trainer._train_step(obs)   # one MCEIRL iteration, as MCEIRL.train runs it
            iterations += 1
            gap = np.abs(visitations @ features - demo_counts).max() / np.abs(demo_counts).max()
        runs.append({"lr": lr, "seconds": time.perf_counter() - start, "iterations": iterations,
                     "gap": float(gap), "reached": bool(gap <= args.target_gap)})
        for _ in range(3):
            start = time.perf_counter()
            ours()
            ours_times.append(time.perf_counter() - start)
    reached = [r for r in runs if r["reached"]]
    best = min(reached, key=lambda r: r["seconds"]) if reached else None
    ours_seconds = float(np.median(ours_times))
    iterations = len(fit.history["objective"])
    case = (f"objectworld 32x32 fit to relative feature gap {args.target_gap:g}: maxent_irl (L-BFGS, "
            f"{iterations} iterations) vs MCEIRL (Adam, "
            + (f"lr {best['lr']:g}, {best['iterations']} iterations)" if best else "no learning rate reached the gap)"))
    record = benchlib.case_record(case, mdp, ours_seconds, best["seconds"] if best else None, None)
    for run in runs:
        print(f"  MCEIRL lr={run['lr']:g}: {run['seconds']:.3f} s, {run['iterations']} iterations, gap {run['gap']:.1e}"
              + ("" if run["reached"] else " (not reached)"))
    print(f"  maxent_irl: {ours_seconds:.4f} s (median of {len(ours_times)}), {iterations} iterations, "
          f"gap {fit.feature_gap:.1e}; ratio {record['ratio'] if best else float('nan'):.1f}x")
    path = benchlib.save_benchmark(
        "objectworld_fit", "A whole MaxEnt IRL fit on a 32 x 32 Objectworld (4 continuous features, gamma = 1, "
        f"T = 8, {args.demos} demonstrations)",
        "imitation 1.0.1: MCEIRL (Adam, best of learning rates 0.01, 0.03, 0.1)", [record], [])
    print(f"saved {path.relative_to(benchlib.ROOT)}")


if __name__ == "__main__":
    main()
