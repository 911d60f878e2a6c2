"""Speed floor of the tabular core: soft value iteration + state visitation on sparse gridworlds.

The book's gridworld at 32 x 32, 64 x 64 and 128 x 128 (16,384 states, 5 actions, T = 100; the largest
must take under one second on one core), each timed against its floor (``benchmarks/floor.py``: the bytes
one time step must move and the exponentials it must take, at this machine's bandwidth and ``exp``
throughput, measured in the same run). No peer here: imitation's dense transition tensor would need
``S*A*S*8`` bytes, 10.7 GB at 128 x 128 (``bench_maxent.py`` compares the sizes it can hold).
Run by ``benchmarks/run_all.sh`` on one core; writes ``results/benchmark_speed_floor.json`` and
``results/figures/benchmark_speed_floor.png``.
"""

from __future__ import annotations

import argparse

import benchlib
import floor
import numpy as np

import irlbook
from irlbook.envs import GridWorld


def forward_backward(mdp, reward):
    plan = irlbook.soft_value_iteration(mdp, reward)
    return irlbook.state_visitation(mdp, plan.policy)


def plot(cases, probe):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    S = np.array([c["states"] for c in cases])
    fig, ax = plt.subplots(figsize=(5.2, 3.6))
    ax.loglog(S, [c["ours_seconds"] for c in cases], "o-",
              label=f"irlbook, measured (S^{benchlib.growth_exponent(S, [c['ours_seconds'] for c in cases]):.2f})")
    ax.loglog(S, [c["floor_seconds"] for c in cases], "s--", label="floor: bytes / bandwidth + exps / exp rate")
    calls = sum(floor.CALLS_PER_STEP.values())
    ax.loglog(S, [c["horizon"] * calls * probe["call_seconds"] for c in cases], ":", color="grey",
              label=f"{calls} numpy calls per step, fixed cost")
    ax.axhline(1.0, color="k", lw=0.6)
    ax.set_xlabel("states (sparse gridworld, 5 actions, T = 100)")
    ax.set_ylabel("soft VI + visitation [s]")
    ax.legend(fontsize=7)
    return benchlib.save_plot(fig, "speed_floor")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--horizon", type=int, default=100)
    parser.add_argument("--sizes", type=int, nargs="+", default=[32, 64, 128])
    args = parser.parse_args()

    worlds = [GridWorld(size=n, macrocells=8, stay_action=True, noise=0.3, horizon=args.horizon, discount=0.99, seed=0)
              for n in args.sizes]
    probe = floor.machine_probe()
    cases = []
    for n, world in zip(args.sizes, worlds, strict=True):
        seconds = benchlib.median_seconds(lambda w=world: forward_backward(w.mdp, w.reward), args.repeats)
        cases.append(benchlib.case_record(
            f"gridworld {n}x{n}", world.mdp, seconds, peak_memory_mb=benchlib.peak_memory_mb(
                lambda w=world: forward_backward(w.mdp, w.reward)), floor_seconds=floor.case_floor(world.mdp, probe)))
        c = cases[-1]
        print(f"{c['case']:18s} S={c['states']:6d}  {c['ours_seconds']:.4f} s  floor {c['floor_seconds']:.4f} s  "
              f"({c['ours_seconds'] / c['floor_seconds']:.1f}x the floor)  peak {c['peak_memory_mb']:.0f} MiB")
    largest = cases[-1]
    section = floor.floor_section(
        worlds[-1].mdp, largest["ours_seconds"], probe,
        note=("Floor = T x (bytes per step / read bandwidth at that working-set size + (S A + S) exponentials x "
              "seconds per exp); a numpy loop also pays a fixed cost per call (numpy_call_us x "
              "numpy_calls_per_step x T = call_overhead_seconds, a lower bound: calls on strided or "
              "broadcast arrays cost more), the CSR product gathers V through column indices instead of "
              "streaming it, and state_visitation first validates its policy argument (policy_check_seconds "
              "of visitation_seconds: several passes over T x S x A). measured_over_floor above 1 is that "
              "price, not extra passes of the time loops over memory."))
    section.update(floor.components(worlds[-1].mdp, worlds[-1].reward))
    section["target_seconds"] = 1.0
    section.update(benchlib.machine_note())
    figure = plot(cases, probe)
    path = benchlib.save_benchmark(
        "speed_floor", "Soft value iteration + state visitation on sparse gridworlds, against the floor",
        "none: imitation's dense S x A x S tensor does not fit at 128 x 128 (10.7 GB)", cases, [figure],
        floor=section)
    print(f"floor {section['floor_seconds']:.4f} s at {section['read_bandwidth_gb_s']:.1f} GB/s and "
          f"{section['exp_ns_per_element']:.2f} ns/exp; measured {section['measured_seconds']:.4f} s "
          f"({section['measured_over_floor']:.1f}x); saved {path.relative_to(benchlib.ROOT)} and {figure}")


if __name__ == "__main__":
    main()
