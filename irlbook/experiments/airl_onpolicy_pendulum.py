"""AIRL with an on-policy (PPO) generator on Pendulum-v1 from the stored expert demonstrations, CPU-sized (ch. 7)::

    python -m irlbook.experiments airl_onpolicy_pendulum --seed 0 --iterations 60

Each iteration collects ``8 x 256`` steps with the current policy, takes ``disc_steps`` discriminator steps
against the expert's transitions and one PPO update on AIRL's reward ``f - log pi``. The record holds the
imitation policy's mean true return (10 deterministic episodes), the expert's and a random policy's return
from the demonstrations' file, Ho & Ermon's normalised score and the per-iteration history. ``--method``
runs GAIL or GAN-GCL the same way. Also sweepable (``python -m irlbook.experiments sweep
airl_onpolicy_pendulum``: settings ``airl``, ``gail``, ``gan_gcl``).
"""

from __future__ import annotations

import time
from pathlib import Path

from . import common

PPO_KWARGS = {"n_steps": 256, "n_minibatches": 8, "update_epochs": 10, "gamma": 0.9, "lr": 1e-3}
DISC = {"disc_steps": 10, "disc_batch": 256, "disc_lr": 3e-4, "disc_hidden": (64, 64)}
N_ENVS = 8
SETTINGS = {"airl": {"method": "airl", "iterations": 60}, "gail": {"method": "gail", "iterations": 60},
            "gan_gcl": {"method": "gan_gcl", "iterations": 60}}
SEEDS = [0, 1, 2]


def fit(method: str, iterations: int, seed: int, checkpoint=None, deadline=None) -> dict | None:
    """Train, evaluate and return the record's values (None when stopped by ``deadline``)."""
    import gymnasium as gym
    import numpy as np

    from irlbook.book.presets import expert_demos
    from irlbook.core.demonstrations import Demonstrations
    from irlbook.deep.ppo import evaluate

    from .evaluation import normalised_score
    from .onpolicy import irl_stage

    demos, record = expert_demos("pendulum")
    start = time.monotonic()
    result = irl_stage(checkpoint, "Pendulum-v1", Demonstrations.from_rollouts(demos), method, iterations, seed,
                       N_ENVS, PPO_KWARGS, deadline, **DISC)
    if result is None:
        return None
    env = gym.make("Pendulum-v1")
    score = evaluate(result.policy, env, 10)
    expert, rand = float(record["mean_return"]), float(record["random_mean_return"])
    history = {k: [None if not np.isfinite(x) else float(x) for x in v] for k, v in result.history.items()}
    return {"method": method, "iterations": iterations, "agent_steps": int(result.policy.step),
            "return": score, "expert_return": expert, "random_return": rand,
            "normalised": normalised_score(score, expert, rand), "n_demos": int(len(demos["returns"])),
            "seconds": time.monotonic() - start, "history": history}


def run_job(setting: str, seed: int, checkpoint_dir, max_seconds=None, settings: dict | None = None):
    from .onpolicy import deadline_after

    params = (settings or SETTINGS)[setting]
    return fit(params["method"], params["iterations"], seed, Path(checkpoint_dir) / "irl.pt",
               deadline_after(max_seconds))


def summarise(values: dict) -> dict:
    from .sweep import numeric_summary

    return numeric_summary(values)


def main(argv=None) -> dict:
    p = common.parser("airl_onpolicy_pendulum", __doc__)
    p.add_argument("--method", default="airl", choices=["airl", "gail", "gan_gcl"])
    p.add_argument("--iterations", type=int, default=60)
    common.add_seed(p)
    common.add_name(p, "airl_onpolicy_pendulum")
    args = common.parse(p, argv)
    values = fit(args.method, args.iterations, args.seed)
    print(f"{args.method}: return {values['return']:.1f} (expert {values['expert_return']:.1f}, random "
          f"{values['random_return']:.1f}), normalised {values['normalised']:.3f}, {values['seconds']:.0f} s",
          flush=True)
    common.save(args.name, values, args.seed, "airl_onpolicy_pendulum", argv)
    return values
