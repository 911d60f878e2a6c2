"""GCL (irlbook.deep.gcl) on Pendulum-v1 on CPU: normalised score of a policy trained from scratch on the
learned reward, and correlation / EPIC distance of learned and true reward. Writes results/gcl_pendulum.json
(``--name`` changes it).

    OMP_NUM_THREADS=1 python -m irlbook.experiments gcl_pendulum --seeds 0

Expert: SAC (automatic temperature) on the true reward. GCL: state-only reward ``r_psi(s')`` of the
observation (cos theta, sin theta, theta dot), not conditioned on the start (Pendulum starts from a uniformly
random angle, so the start-state tilt of chapter 6 is present and uncorrected). Score
``(R - R_random) / (R_expert - R_random)`` with the deterministic (mean) actions of expert and retrained policy.
"""

from __future__ import annotations

import time

import gymnasium as gym
import numpy as np
import torch

from irlbook import Demonstrations
from irlbook.book.presets import collect_demonstrations, train_expert
from irlbook.core.metrics import epic_distance_samples
from irlbook.deep.gcl import GCLConfig, gcl
from irlbook.deep.sac import SAC
from irlbook.experiments import common
from irlbook.experiments.evaluation import mean_return, normalised_score

SAC_KW = dict(hidden=(128, 128), gamma=0.99, lr=1e-3, batch_size=256)


def true_reward(s, a, s2):
    """Pendulum-v1's reward of the state *before* the step and the torque: -(theta^2 + 0.1 thdot^2 + 0.001 u^2)."""
    theta = np.arctan2(s[:, 1], s[:, 0])
    return -(theta ** 2 + 0.1 * s[:, 2] ** 2 + 0.001 * np.clip(a[:, 0], -2, 2) ** 2)


def main(argv=None):
    parser = common.parser("gcl_pendulum", __doc__)
    common.add_seeds(parser, [0])
    parser.add_argument("--expert-episodes", type=int, default=40)
    parser.add_argument("--gcl-iters", type=int, default=20)
    parser.add_argument("--retrain-episodes", type=int, default=40)
    common.add_name(parser, "gcl_pendulum")
    args = common.parse(parser, argv)
    rows = []
    for seed in args.seeds:
        start = time.perf_counter()
        env = gym.make("Pendulum-v1")
        expert = train_expert(env, args.expert_episodes, seed=seed, device="cpu", sac_kwargs=SAC_KW)
        demos = collect_demonstrations(expert, env, 20, seed=seed + 500)
        R_expert = mean_return(expert, env, 10, seed=seed + 999)
        random_rollouts = expert.rollout(env, 10, seed=seed + 999, random_actions=True, store=False)
        R_random = float(random_rollouts["returns"].mean())
        config = GCLConfig(n_iterations=args.gcl_iters, episodes_per_iteration=2, policy_updates_per_iteration=400,
                           reward_steps_per_iteration=10, batch_size=32, hidden=(64, 64), lr=1e-3, l2=1e-4,
                           sac_kwargs=SAC_KW, seed=seed, device="cpu")
        fit = gcl(env, Demonstrations.from_rollouts(demos), config)
        fresh = SAC(env.observation_space, env.action_space, device="cpu", seed=seed + 100, **SAC_KW)
        fresh.train(env, args.retrain_episodes, seed=seed + 1000,
                    reward_fn=lambda o, a, n, net=fit.reward_net: net(n))
        R_new = mean_return(fresh, env, 10, seed=seed + 999)
        R_cot = mean_return(fit.policy, env, 10, seed=seed + 999)
        learned = lambda s, a, s2, fit=fit: fit.reward_net(torch.as_tensor(s2, dtype=torch.float32)).detach().numpy()  # noqa: E731
        compare = {}
        rng = np.random.default_rng(seed)
        for name, data in (("expert", demos), ("random", random_rollouts)):
            s, a, s2 = (data["states"][:, :-1].reshape(-1, 3), data["actions"].reshape(-1, 1),
                        data["states"][:, 1:].reshape(-1, 3))
            cov = rng.choice(len(s), 256, replace=False)
            cov_a = rng.uniform(-2, 2, (256, 1))
            compare[f"corr_{name}"] = float(np.corrcoef(learned(s, a, s2), true_reward(s, a, s2))[0, 1])
            compare[f"epic_{name}"] = epic_distance_samples(learned, true_reward, s, a, s2, s[cov], cov_a,
                                                              discount=0.99)
        row = {"seed": seed, "R_expert": R_expert, "R_random": R_random, "R_demos": float(demos["returns"].mean()),
               "R_from_scratch": R_new, "R_cotrained": R_cot,
               "score_from_scratch": normalised_score(R_new, R_expert, R_random),
               "score_cotrained": normalised_score(R_cot, R_expert, R_random),
               "final_ess_fraction": fit.history["ess_fraction"][-1], **compare,
               "seconds": time.perf_counter() - start}
        rows.append(row)
        print(row, flush=True)
    common.save(args.name, {"settings": vars(args), "runs": rows}, args.seeds, "gcl_pendulum", argv)
    return rows


if __name__ == "__main__":
    main()
