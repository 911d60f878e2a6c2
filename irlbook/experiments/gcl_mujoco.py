"""GCL (irlbook.deep.gcl) on gymnasium's MuJoCo tasks: normalised score of a policy trained from scratch on the
learned reward, correlation of learned and true per-step reward, and rendered frames. Chapter 6's full profile.

    OMP_NUM_THREADS=1 MUJOCO_GL=egl python -m irlbook.experiments gcl_mujoco --env HalfCheetah-v5 --seed 0 \
        --expert-episodes 100 --gcl-iters 60 --retrain-episodes 100 --hidden 128 128

writes ``results/gcl_<env>_seed<seed>.json`` (with provenance; ``--name`` changes the name) and
``results/figures/<name>.png`` (frames of the expert and of the policy retrained on the learned reward).
The defaults are a budget that one CPU core finishes in about half an hour per task; the GPU full profile
passes larger ones (``--device cuda``).

Protocol (as in notebook 06b): SAC expert on the true reward (automatic temperature); ``--n-demos`` stochastic
demonstrations; GCL with a state-action reward ``r_psi(s, a)``, one episode per iteration, lazy SAC updates at
temperature 1; a *new* SAC agent (automatic temperature) trained from scratch on the frozen learned reward for
``--retrain-episodes``; scores ``(R - R_random) / (R_expert - R_random)`` with deterministic (mean) actions on
the same evaluation episodes. ``Hopper-v5`` runs with ``terminate_when_unhealthy=False``: GCL compares whole
trajectories of one length (a fixed horizon of 1,000 steps).
"""

from __future__ import annotations

import os
import time
from pathlib import Path

os.environ.setdefault("MUJOCO_GL", "egl")

import gymnasium as gym  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402

from irlbook import Demonstrations  # noqa: E402
from irlbook.book.presets import collect_demonstrations, train_expert  # noqa: E402
from irlbook.book.records import results_dir  # noqa: E402
from irlbook.deep.gcl import GCLConfig, gcl  # noqa: E402
from irlbook.deep.sac import SAC  # noqa: E402
from irlbook.experiments import common  # noqa: E402
from irlbook.experiments.evaluation import normalised_score, rollouts_with_rewards  # noqa: E402,F401

ENV_KWARGS = {"Hopper-v5": {"terminate_when_unhealthy": False}}


def save_frames(path: Path, env_id: str, env_kwargs: dict, policies: dict, seed: int) -> None:
    """One row of frames per policy (every 40th step of its first 200; the model's tracking camera), as a PNG."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from irlbook.book.plotting import save_figure
    from irlbook.book.rendering import frame_strip, rollout_frames

    env = gym.make(env_id, render_mode="rgb_array", width=240, height=180, camera_name="track", **env_kwargs)
    fig, axes = plt.subplots(len(policies), 6, figsize=(14, 2.3 * len(policies)), squeeze=False)
    for row, (name, policy) in zip(axes, policies.items(), strict=True):
        frames, steps = rollout_frames(env, policy, n_steps=200, every=40, seed=seed)
        frame_strip(frames, titles=[f"{name}, step {t}" for t in steps], axes=row[:len(frames)])
    env.close()
    save_figure(fig, path, dpi=80)


def main(argv=None) -> dict:
    parser = common.parser("gcl_mujoco", __doc__)
    parser.add_argument("--env", default="HalfCheetah-v5")
    common.add_seed(parser)
    parser.add_argument("--expert-episodes", type=int, default=100)
    parser.add_argument("--n-demos", type=int, default=20)
    parser.add_argument("--gcl-iters", type=int, default=60)
    parser.add_argument("--policy-updates", type=int, default=1000, help="SAC updates per GCL iteration")
    parser.add_argument("--retrain-episodes", type=int, default=100)
    parser.add_argument("--hidden", type=int, nargs="+", default=[128, 128])
    parser.add_argument("--device", default="cpu")
    common.add_name(parser, None)
    args = common.parse(parser, argv)
    name = args.name or f"gcl_{args.env}_seed{args.seed}"
    start, seed = time.perf_counter(), args.seed
    env_kwargs = ENV_KWARGS.get(args.env, {})
    env = gym.make(args.env, **env_kwargs)
    sac_kw = dict(hidden=tuple(args.hidden), gamma=0.99, lr=3e-4, batch_size=256, buffer_size=1_000_000)
    timings = {}

    expert = train_expert(env, args.expert_episodes, seed=seed, sac_kwargs=sac_kw, device=args.device)
    timings["expert_s"] = time.perf_counter() - start
    demos = collect_demonstrations(expert, env, args.n_demos, seed=seed + 500)
    expert_eval = rollouts_with_rewards(env, lambda o: expert.act(o, deterministic=True), 5, seed + 999)
    random_eval = rollouts_with_rewards(env, None, 5, seed + 999)
    R_expert, R_random = float(expert_eval["returns"].mean()), float(random_eval["returns"].mean())
    print(f"{args.env}: expert {R_expert:.1f}, random {R_random:.1f}, demos {demos['returns'].mean():.1f} "
          f"({timings['expert_s']:.0f} s)", flush=True)

    t0 = time.perf_counter()
    config = GCLConfig(n_iterations=args.gcl_iters, episodes_per_iteration=1,
                       policy_updates_per_iteration=args.policy_updates, reward_steps_per_iteration=20,
                       batch_size=16, lr=1e-3, state_only=False, l2=1e-3, hidden=(64, 64), sac_kwargs=sac_kw,
                       seed=seed, device=args.device)
    fit = gcl(env, Demonstrations.from_rollouts(demos), config)
    timings["gcl_s"] = time.perf_counter() - t0
    net = fit.reward_net
    device = next(net.parameters()).device

    def learned(obs, actions):
        with torch.no_grad():
            x = torch.as_tensor(np.concatenate([obs, actions], -1), dtype=torch.float32, device=device)
            return net(x).cpu().numpy()

    t0 = time.perf_counter()
    fresh = SAC(env.observation_space, env.action_space, device=args.device, seed=seed + 100, **sac_kw)
    fresh.train(env, args.retrain_episodes, seed=seed + 1000,
                reward_fn=lambda o, a, n: net(torch.cat([o, a.float()], -1)))
    timings["retrain_s"] = time.perf_counter() - t0
    new_eval = rollouts_with_rewards(env, lambda o: fresh.act(o, deterministic=True), 5, seed + 999)
    cot_eval = rollouts_with_rewards(env, lambda o: fit.policy.act(o, deterministic=True), 5, seed + 999)
    R_new, R_cot = float(new_eval["returns"].mean()), float(cot_eval["returns"].mean())

    correlation = {}
    for label, data in (("expert", expert_eval), ("random", random_eval), ("retrained", new_eval)):
        n, T = data["actions"].shape[:2]
        r_hat = learned(data["states"][:, :-1].reshape(n * T, -1), data["actions"].reshape(n * T, -1))
        correlation[label] = float(np.corrcoef(r_hat, data["rewards"].reshape(-1))[0, 1])
    figure = results_dir() / "figures" / f"{name}.png"
    save_frames(figure, args.env, env_kwargs, {"expert": lambda o: expert.act(o, deterministic=True),
                                               "retrained": lambda o: fresh.act(o, deterministic=True)},
                seed + 999)
    values = {"env": args.env, "env_kwargs": env_kwargs, "settings": vars(args), "R_expert": R_expert,
              "R_random": R_random, "R_demos": float(demos["returns"].mean()), "R_from_scratch": R_new,
              "R_cotrained": R_cot, "score_from_scratch": normalised_score(R_new, R_expert, R_random),
              "score_cotrained": normalised_score(R_cot, R_expert, R_random),
              "reward_correlation": correlation, "final_ess_fraction": fit.history["ess_fraction"][-1],
              "gcl_true_return": fit.history["true_return"], "figure": str(figure.relative_to(results_dir())),
              **timings, "seconds": time.perf_counter() - start}
    print({k: v for k, v in values.items() if k not in ("gcl_true_return", "settings")}, flush=True)
    common.save(name, values, seed, "gcl_mujoco", argv, env="OMP_NUM_THREADS=1 MUJOCO_GL=egl")
    return values


if __name__ == "__main__":
    main()
