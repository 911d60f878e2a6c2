"""GCL on the point mass over several seeds (quick-profile settings of notebook 06b); writes
results/gcl_point_mass.json with provenance.

    OMP_NUM_THREADS=1 python benchmarks/gcl_point_mass_seeds.py --seeds 0 1 2
"""

from __future__ import annotations

import argparse
import sys

import numpy as np
import torch

from irlbook.envs import PointMassEnv, point_mass_reward
from irlbook.irl.gcl import gcl
from irlbook.results import save_result
from irlbook.rl import SAC
from irlbook.rl.expert import collect_demonstrations, train_expert

STARTS = [[-0.7, -0.7], [-0.7, 0.7], [0.7, -0.7], [0.0, 0.0]]
SAC_KW = dict(hidden=(64, 64), gamma=0.9, lr=3e-3, batch_size=128)
GCL_KW = dict(n_iters=15, episodes_per_iter=5, policy_updates_per_iter=150, reward_steps_per_iter=20, batch_size=64,
              lr=1e-2, condition_on_start=True, l2=1e-3, sac_kwargs=SAC_KW, device="cpu")


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    args = parser.parse_args(argv)
    torch.set_num_threads(1)
    env = PointMassEnv(starts=STARTS)
    expert = train_expert(env, 60, seed=0, device="cpu", sac_kwargs=dict(SAC_KW, init_alpha=0.1, learn_alpha=False))
    demos = collect_demonstrations(expert, env, 50, seed=500)
    R_expert = expert.rollout(env, 40, seed=999, deterministic=True, store=False)["returns"].mean()
    R_random = expert.rollout(env, 40, seed=999, random_actions=True, store=False)["returns"].mean()
    X = demos["states"][:, 1:].reshape(-1, 2)

    def evaluate(agent):
        ev = agent.rollout(env, 40, seed=999, deterministic=True, store=False)
        d = np.linalg.norm(ev["states"][:, -1] - env.goal, axis=-1)
        R = float(ev["returns"].mean())
        return {"return": R, "score": (R - R_random) / (R_expert - R_random), "reached": float((d < 0.25).mean())}

    rows = []
    for seed in args.seeds:
        result = gcl(env, demos["states"], demos["actions"], seed=seed, **GCL_KW)
        with torch.no_grad():
            corr = float(np.corrcoef(result.reward_net(torch.as_tensor(X)).numpy(), point_mass_reward(X))[0, 1])
        agent = SAC(env.observation_space, env.action_space, device="cpu", seed=100 + seed, **SAC_KW)
        agent.train(env, 40, seed=1000 + seed, reward_fn=lambda o, a, n, net=result.reward_net: net(n))
        row = {"seed": seed, "corr_expert_states": corr, "cotrained": evaluate(result.policy),
               "from_scratch": evaluate(agent)}
        rows.append(row)
        print(row, flush=True)
    summary = {k: {"mean": float(np.mean([r[k]["score"] for r in rows])), "std": float(np.std([r[k]["score"] for r in rows]))}
               for k in ("cotrained", "from_scratch")}
    save_result("gcl_point_mass", {"R_expert": float(R_expert), "R_random": float(R_random), "runs": rows,
                                   "normalised_score": summary}, seed=args.seeds,
                command="OMP_NUM_THREADS=1 python benchmarks/gcl_point_mass_seeds.py " + " ".join(argv or sys.argv[1:]))
    print(summary)


if __name__ == "__main__":
    main()
