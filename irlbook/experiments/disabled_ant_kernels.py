"""One checkpoint, several matrix-product kernels: how far a chaotic evaluation moves (ch. 7)::

    python -m irlbook.experiments disabled_ant_kernels --setting true_reward --seed 1

Scores one finished policy of the disabled-ant sweep (:mod:`.disabled_ant`) over the same seeded deterministic
episodes several times, each in a fresh process whose MKL (the BLAS behind torch's CPU matrix products) is held to
one instruction set by ``MKL_ENABLE_INSTRUCTIONS``: ``SSE4_2``, ``AVX2``, ``AVX512``. The kernels differ only in the
order of floating-point additions, so the policy's actions differ in the last bits; a walking ant is chaotic, and
the episodes part. On a CPU without an instruction set MKL falls back to the best one it has, so the record names
each process's torch kernel level too. The record holds, per instruction set, the episodes' forward rewards and
their mean, and over the sets the largest difference of the means.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

from . import common

INSTRUCTION_SETS = ("SSE4_2", "AVX2", "AVX512")

_SCORE = """
import json, sys
import torch
from irlbook.experiments.disabled_ant import SETTINGS, bodies, load_agent, scores
setting, seed, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
agent = load_agent(setting, seed)
if agent is None:
    raise SystemExit(f"setting: {setting} seed {seed} has not finished here")
body = bodies(SETTINGS[setting])[0 if sys.argv[4] == "ant" else 1]
out = scores(agent, body(), "s", n)
print(json.dumps({"forward": out["s_forward"], "forward_episodes": out["s_forward_episodes"],
                  "torch_kernels": torch.backends.cpu.get_cpu_capability()}))
"""


def score_with(instruction_set: str, setting: str, seed: int, n_episodes: int = 10, body: str = "disabled") -> dict:
    """The forward reward of ``setting``'s final policy (seed ``seed``) over ``n_episodes`` seeded deterministic
    episodes of ``body`` (``"disabled"`` or ``"ant"``), scored in a fresh process with MKL held to
    ``instruction_set``: ``forward`` (the mean), ``forward_episodes`` [n_episodes] and ``torch_kernels``."""
    if body not in ("disabled", "ant"):
        raise ValueError(f"body must be 'disabled' or 'ant', got {body!r}")
    env = {**os.environ, "MKL_ENABLE_INSTRUCTIONS": instruction_set, "OMP_NUM_THREADS": "1"}
    out = subprocess.run([sys.executable, "-c", _SCORE, setting, str(seed), str(n_episodes), body], env=env,
                         capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise ValueError(f"setting/seed: scoring {setting} seed {seed} failed: {out.stderr.strip()[-500:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv=None) -> dict:
    p = common.parser("disabled_ant_kernels", __doc__)
    p.add_argument("--setting", default="true_reward", help="a disabled-ant setting (default true_reward)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--body", choices=("disabled", "ant"), default="disabled")
    p.add_argument("--episodes", type=int, default=10)
    p.add_argument("--instruction-sets", nargs="+", default=list(INSTRUCTION_SETS))
    common.add_name(p, "disabled_ant_kernels")
    args = common.parse(p, argv)
    runs = {}
    for instruction_set in args.instruction_sets:
        runs[instruction_set] = score_with(instruction_set, args.setting, args.seed, args.episodes, args.body)
        print(f"{instruction_set}: forward {runs[instruction_set]['forward']:.1f} "
              f"(torch kernels {runs[instruction_set]['torch_kernels']})", flush=True)
    means = [run["forward"] for run in runs.values()]
    values = {"setting": args.setting, "seed": args.seed, "body": args.body, "episodes": args.episodes,
              "runs": runs, "spread": max(means) - min(means), "min": min(means), "max": max(means)}
    common.save(args.name, values, args.seed, "disabled_ant_kernels", argv, env="")
    return values
