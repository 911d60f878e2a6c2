"""Train a SAC expert on an environment's true reward and save demonstrations with provenance.

    python -m irlbook.experiments expert_demos --preset point_mass --out results/demos/point_mass

writes ``point_mass.npz`` (states, actions, returns) and ``point_mass.json`` (env id and kwargs,
seed, the expert's and a random policy's mean return, SAC settings, date, device, versions, git
commit, command). ``--preset`` picks the chapter's settings for one environment
(``irlbook.book.presets.PRESETS``); ``--env``, ``--episodes`` and ``--demos`` override them. The stored
cartpole and pendulum sets ship with the package (``irlbook/book/data/demos/``; chapter 7's notebook 07c
reads them through ``irlbook.book.presets.expert_demos``), made by

    python -m irlbook.experiments expert_demos --preset cartpole --out irlbook/book/data/demos/cartpole --device cpu

The HalfCheetah-v5 and Hopper-v5 presets need hours of CPU or a GPU and have not been run for the book.
Hopper terminates early when it falls; GCL needs a fixed horizon, so the preset turns termination off
(``terminate_when_unhealthy=False``). CartPole-v1 ends when the pole falls; its preset wraps it in
:class:`irlbook.envs.AbsorbingState` (a fixed horizon of 200 steps, chapter 7), and ``--absorbing-horizon``
does the same for any environment.
"""

from __future__ import annotations

import json
import os

os.environ.setdefault("MUJOCO_GL", "egl")

import torch  # noqa: E402

import irlbook  # noqa: E402,F401  (registers irlbook/PointMass-v0)
from irlbook.book.presets import PRESETS, make_env, preset_sac_kwargs, record_expert, save_demonstrations  # noqa: E402
from irlbook.experiments import common  # noqa: E402


def main(argv=None) -> str:
    parser = common.parser("expert_demos", __doc__)
    parser.add_argument("--preset", choices=sorted(PRESETS), default="point_mass")
    parser.add_argument("--env", help="gymnasium id (default: the preset's)")
    parser.add_argument("--env-kwargs", help="JSON object of keyword arguments for gymnasium.make")
    parser.add_argument("--episodes", type=int, help="SAC training episodes")
    parser.add_argument("--demos", type=int, help="number of demonstrations to record")
    parser.add_argument("--absorbing-horizon", type=int,
                        help="wrap the env in irlbook.envs.AbsorbingState with this horizon (default: the preset's)")
    common.add_seed(parser)
    parser.add_argument("--device", default=None)
    parser.add_argument("--out", required=True, help="output path without suffix")
    args = parser.parse_args(argv)
    preset = PRESETS[args.preset]
    env_id = args.env or preset["env"]
    env_kwargs = json.loads(args.env_kwargs) if args.env_kwargs else preset["env_kwargs"]
    episodes, n_demos = args.episodes or preset["episodes"], args.demos or preset["demos"]
    sac_kwargs = preset_sac_kwargs(args.preset)
    torch.set_num_threads(max(1, int(os.environ.get("OMP_NUM_THREADS", "1"))))

    horizon = args.absorbing_horizon or preset.get("absorbing_horizon")
    env = make_env(env_id, env_kwargs, horizon)
    demos, random_return = record_expert(env, episodes, n_demos, sac_kwargs, seed=args.seed, device=args.device)
    info = {"expert": "SAC (irlbook.deep.sac), stochastic policy", "training_episodes": episodes,
            "sac_kwargs": {k: (list(v) if isinstance(v, tuple) else v) for k, v in sac_kwargs.items()},
            "random_mean_return": random_return,
            "absorbing_horizon": horizon}
    path = save_demonstrations(args.out, demos, env_id, env_kwargs, args.seed, info,
                               command=common.command("expert_demos", argv, env=""))
    print(f"wrote {path}", flush=True)
    return str(path)


if __name__ == "__main__":
    main()
