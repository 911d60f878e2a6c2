"""AIRL with an off-policy (SAC) or an on-policy (PPO) generator on Pendulum-v1: imitation where the demonstrations
were recorded, and transfer of the learned reward to a pendulum under stronger gravity, over seeds (ch. 7)::

    OMP_NUM_THREADS=1 python -m irlbook.experiments airl_generators --seeds 0 1 2 --workers 2

Per seed, from the stored Pendulum demonstrations (``g = 10``):

* ``sac``: AIRL (state-only ``g(s') + gamma h(s') - h(s)``) with SAC as the generator, the settings of
  :mod:`.adversarial_control` (80 iterations of one episode);
* ``ppo``: AIRL with PPO as the generator, the settings of :mod:`.airl_onpolicy_pendulum` (60 iterations of
  8 x 256 steps);
* ``true``: SAC on the true reward in the changed pendulum, the transfer ceiling.

Each AIRL run is scored twice: its policy's return at ``g = 10`` (imitation, normalised by the demonstrations'
expert and random returns) and the return at ``g = TEST_G`` of a *new* SAC agent trained from scratch on the
frozen learned reward ``g(s')`` for ``REOPT_EPISODES`` episodes (transfer, normalised by SAC on the true reward
there and by random actions there). As a control, the same learned reward is re-optimised in the pendulum it
was learned in (``reoptimised_at_train_g``, normalised like imitation): a reward that fails there fails as a
reward, not because the dynamics changed. All returns: the deterministic policy, 10 seeded episodes. The question is
the one of arXiv:2403.14593 (an off-policy generator imitates better but recovers a reward that transfers
worse), asked on a small task. Writes ``results/airl_generators.json``.
"""

from __future__ import annotations

import time

import numpy as np

from . import common

TEST_G = 15.0             # gymnasium's Pendulum-v1 uses g = 10
REOPT_EPISODES = 40       # of 200 steps; SAC on the true reward learns the changed pendulum within them
GENERATORS = ("sac", "ppo")


def run_one(kind: str, seed: int, sac_iterations: int = 80, ppo_iterations: int = 60,
            reopt_episodes: int = REOPT_EPISODES) -> dict:
    """One job: ``kind`` is ``"sac"`` or ``"ppo"`` (AIRL with that generator: ``imitation`` and ``transfer``
    returns and the transferred policy's) or ``"true"`` (SAC on the true reward at ``TEST_G``: ``transfer``)."""
    import gymnasium as gym

    from irlbook import Demonstrations
    from irlbook.book.presets import expert_demos, preset_env
    from irlbook.deep.adversarial import AdversarialConfig, adversarial_imitation, evaluate, reoptimise

    from .adversarial_control import SAC_KW
    from .airl_onpolicy_pendulum import DISC, N_ENVS, PPO_KWARGS
    from .onpolicy import irl_stage

    start = time.perf_counter()
    test = gym.make("Pendulum-v1", g=TEST_G)
    sac_kwargs = SAC_KW["pendulum"]
    if kind == "true":
        agent, _ = reoptimise(test, None, reopt_episodes, sac_kwargs=sac_kwargs, seed=seed + 100)
        return {"transfer": evaluate(agent, test, 10), "seconds": time.perf_counter() - start}
    if kind not in GENERATORS:
        raise ValueError(f"kind must be 'sac', 'ppo' or 'true', got {kind!r}")
    demos = Demonstrations.from_rollouts(expert_demos("pendulum")[0])
    if kind == "sac":
        config = AdversarialConfig(method="airl", n_iterations=sac_iterations, random_iterations=3,
                                   sac_kwargs=sac_kwargs, seed=seed)
        fit = adversarial_imitation(preset_env("pendulum"), demos, config)
    else:
        fit = irl_stage(None, "Pendulum-v1", demos, "airl", ppo_iterations, seed, N_ENVS, PPO_KWARGS, None, **DISC)
    train = gym.make("Pendulum-v1")
    agent, _ = reoptimise(test, fit.reward, reopt_episodes, sac_kwargs=sac_kwargs, seed=seed + 100)
    same, _ = reoptimise(train, fit.reward, reopt_episodes, sac_kwargs=sac_kwargs, seed=seed + 100)
    return {"imitation": evaluate(fit.policy, train, 10), "transfer": evaluate(agent, test, 10),
            "reoptimised_at_train_g": evaluate(same, train, 10), "policy_at_test_g": evaluate(fit.policy, test, 10),
            "seconds": time.perf_counter() - start}


def compare(seeds, workers: int | None = None, **sizes) -> dict:
    """Every job for ``seeds`` (``sizes``: :func:`run_one`'s iteration counts) and the record's values: per
    generator the per-seed returns and normalised ``imitation`` and ``transfer`` scores, with their means."""
    from irlbook.book.presets import expert_demos

    from .evaluation import normalised_score, random_return

    jobs = [{"kind": kind, "seed": seed, **sizes} for seed in seeds for kind in (*GENERATORS, "true")]
    runs = {(job["kind"], job["seed"]): out for job, out in zip(jobs, common.map_jobs(run_one, jobs, workers),
                                                                 strict=True)}
    import gymnasium as gym

    record = expert_demos("pendulum")[1]
    R_expert, R_random = float(record["mean_return"]), float(record["random_mean_return"])
    random_test = [random_return(gym.make("Pendulum-v1", g=TEST_G), 10, seed + 2) for seed in seeds]
    true_test = [runs["true", seed]["transfer"] for seed in seeds]
    values = {"test_g": TEST_G, "seeds": list(seeds), "R_expert": R_expert, "R_random": R_random,
              "random_at_test_g": random_test, "true_reward_at_test_g": true_test, **sizes,
              "reopt_episodes": sizes.get("reopt_episodes", REOPT_EPISODES),
              "seconds": {f"{kind}/seed{seed}": out["seconds"] for (kind, seed), out in runs.items()}}
    for kind in GENERATORS:
        out = [runs[kind, seed] for seed in seeds]
        entry = {key: [o[key] for o in out]
                 for key in ("imitation", "transfer", "reoptimised_at_train_g", "policy_at_test_g")}
        entry["imitation_normalised"] = [normalised_score(o["imitation"], R_expert, R_random) for o in out]
        entry["reoptimised_at_train_g_normalised"] = [normalised_score(o["reoptimised_at_train_g"], R_expert, R_random)
                                                      for o in out]
        entry["transfer_normalised"] = [normalised_score(o["transfer"], t, r)
                                        for o, t, r in zip(out, true_test, random_test, strict=True)]
        for key in ("imitation_normalised", "transfer_normalised", "reoptimised_at_train_g_normalised"):
            entry[f"{key}_mean"], entry[f"{key}_std"] = float(np.mean(entry[key])), float(np.std(entry[key]))
        values[kind] = entry
    return values


def main(argv=None) -> dict:
    parser = common.parser("airl_generators", __doc__)
    common.add_seeds(parser, [0, 1, 2])
    parser.add_argument("--workers", type=int, default=1, help="runs at a time, one core each (default 1)")
    common.add_name(parser, "airl_generators")
    args = common.parse(parser, argv)
    values = compare(args.seeds, args.workers)
    for kind in GENERATORS:
        v = values[kind]
        print(f"AIRL, {kind} generator: imitation {v['imitation_normalised_mean']:.3f} "
              f"± {v['imitation_normalised_std']:.3f}, re-optimised at g = 10 "
              f"{v['reoptimised_at_train_g_normalised_mean']:.3f} ± {v['reoptimised_at_train_g_normalised_std']:.3f}, "
              f"transfer {v['transfer_normalised_mean']:.3f} ± {v['transfer_normalised_std']:.3f}", flush=True)
    common.save(args.name, values, args.seeds, "airl_generators", argv)
    return values


if __name__ == "__main__":
    main()
