"""Speed of exact MaxEnt IRL: irlbook against imitation 1.0.1's tabular MCE IRL.

Run by ``benchmarks/run_all.sh`` inside ``.bench-venv`` (imitation pins gymnasium~=0.29, so it
cannot live in the book's environment). Nothing of imitation is copied here: it is imported.

Conventions (imitation -> irlbook), checked numerically below before anything is timed:

* ``mce_partition_fh(env, reward=r, discount=g)`` returns ``V[t,s]``, ``Q[t,s,a]``, ``pi[t,s,a]``
  for ``t = 0..H-1`` with ``Q[H-1] = r`` and ``Q[t] = r + g T V[t+1]``: exactly irlbook's causal
  ``soft_value_iteration(mdp, r)`` (temperature 1) for ``mdp.horizon = H``, ``mdp.discount = g``.
  Rewards are state-only ``[S]`` in imitation (``[S]`` or ``[S, A]`` in irlbook).
* ``mce_occupancy_measures(env, pi=pi, discount=g)`` returns ``D`` of shape ``[H+1, S]`` (one
  more state than there are decisions) and ``Dcum = sum_{t=0}^{H} g^t D[t]``. irlbook's
  ``state_visitation`` is ``D[:H]`` and its feature counts use ``sum_{t=0}^{H-1} g^t D_t``; so
  ``Dcum - g^H D[H]`` is irlbook's discounted visitation.
* imitation 1.0.1's ``mce_occupancy_measures`` plans *without* the discount when it is not given
  a policy (it calls ``mce_partition_fh(env, reward=reward)``), and ``MCEIRL`` relies on that, so
  ``MCEIRL`` with ``discount < 1`` plans undiscounted while it discounts occupancies. The whole-fit
  comparison therefore uses ``discount = 1``.
* ``MCEIRL`` matches occupancies over the ``H + 1`` states of each demonstration; irlbook's
  ``maxent_irl`` over the ``H`` states at which decisions are taken. Each fit is stopped at the same
  relative feature gap in its own convention, on demonstrations drawn from the same expert.

Timings: the best (minimum) of ``REPEATS`` runs, wall clock, on whatever cores the process is
pinned to (``run_all.sh`` uses ``taskset -c 0`` and one BLAS thread).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import types

import numpy as np

from irlbook import TabularMDP, maxent_irl, sample_trajectories, soft_value_iteration, state_visitation
from irlbook.envs import GridWorld, ObjectWorld

REPEATS = 3


def best_time(fn, repeats=REPEATS):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times), float(np.median(times))


def imitation_env(mdp: TabularMDP, features=None):
    """The attributes imitation's tabular functions and MCEIRL read, built from an irlbook MDP."""
    import gymnasium as gym

    S, A = mdp.n_states, mdp.n_actions
    obs = np.eye(S) if features is None else np.asarray(features, dtype=np.float64)
    return types.SimpleNamespace(
        horizon=mdp.horizon, state_dim=S, action_dim=A, n_states=S, n_actions=A,
        transition_matrix=np.ascontiguousarray(mdp.transitions), initial_state_dist=mdp.initial.copy(),
        reward_matrix=np.zeros(S), observation_matrix=obs,
        state_space=gym.spaces.Discrete(S), action_space=gym.spaces.Discrete(A),
        observation_space=gym.spaces.Box(-np.inf, np.inf, shape=(obs.shape[1],), dtype=np.float64),
        pomdp_state_space=gym.spaces.Discrete(S))


def random_dense_mdp(S, A=4, T=20, discount=0.99, seed=0):
    rng = np.random.default_rng(seed)
    P = rng.random((S, A, S))
    P /= P.sum(-1, keepdims=True)
    return TabularMDP(P, np.full(S, 1.0 / S), T, discount)


def ours_forward_backward(mdp, reward):
    plan = soft_value_iteration(mdp, reward)
    return plan, state_visitation(mdp, plan.policy)


def theirs_forward_backward(env, reward, discount):
    from imitation.algorithms import mce_irl

    V, Q, pi = mce_irl.mce_partition_fh(env, reward=reward, discount=discount)
    D, Dcum = mce_irl.mce_occupancy_measures(env, reward=reward, pi=pi, discount=discount)
    return V, Q, pi, D, Dcum


def check_equal(mdp, env, reward):
    """max |difference| of V, Q, pi, D and the discounted visitation, in matching conventions."""
    plan, D = ours_forward_backward(mdp, reward)
    V, Q, pi, D_im, Dcum = theirs_forward_backward(env, reward, mdp.discount)
    gammas = mdp.discount ** np.arange(mdp.horizon)
    ours_cum = gammas @ D
    theirs_cum = Dcum - mdp.discount ** mdp.horizon * D_im[mdp.horizon]
    return max(np.abs(plan.v - V).max(), np.abs(plan.q - Q).max(), np.abs(plan.policy - pi).max(),
               np.abs(D - D_im[:mdp.horizon]).max(), np.abs(ours_cum - theirs_cum).max())


def time_torch(mdp, reward):
    import torch

    from irlbook.deep.planning import soft_value_iteration, state_visitation, to_torch

    tmdp = to_torch(mdp, device="cpu")
    r = torch.as_tensor(reward)

    def run():
        with torch.no_grad():
            state_visitation(tmdp, soft_value_iteration(tmdp, r).policy)

    return best_time(run)[0]


def forward_backward_rows(quick):
    rows = []
    sizes = [64, 256, 1024] if quick else [64, 256, 1024, 4096]
    cases = [(f"dense random S={S}", random_dense_mdp(S, seed=S)) for S in sizes]
    cases += [("gridworld 32x32", GridWorld(size=32, macrocells=4, stay_action=True, horizon=100).mdp)]
    if not quick:
        cases += [("gridworld 64x64", GridWorld(size=64, macrocells=8, stay_action=True, horizon=100).mdp)]
    cases += [("objectworld 32x32", ObjectWorld(size=32, seed=0).mdp)]
    for name, mdp in cases:
        reward = np.random.default_rng(1).normal(size=mdp.n_states)
        env = imitation_env(mdp)
        diff = check_equal(mdp, env, reward)
        ours = best_time(lambda mdp=mdp, reward=reward: ours_forward_backward(mdp, reward))
        theirs = best_time(lambda env=env, mdp=mdp, reward=reward: theirs_forward_backward(env, reward, mdp.discount))
        rows.append({"case": name, "states": mdp.n_states, "actions": mdp.n_actions, "horizon": mdp.horizon,
                     "sparse": mdp.is_sparse, "max_abs_diff": float(diff),
                     "irlbook_s": ours[0], "irlbook_median_s": ours[1],
                     "imitation_s": theirs[0], "imitation_median_s": theirs[1],
                     "speedup": theirs[0] / ours[0],
                     "irlbook_torch_cpu_s": time_torch(mdp, reward) if not mdp.is_sparse else None})
        del env
    return rows


def speed_floor():
    """soft VI + state visitation on the 128x128 gridworld, T = 100 (imitation's dense tensor would need
    16384 * 5 * 16384 * 8 bytes = 10.7 GB, so it is not run here)."""
    mdp = GridWorld(size=128, macrocells=8, stay_action=True, horizon=100).mdp
    reward = np.random.default_rng(1).normal(size=mdp.n_states)
    best, median = best_time(lambda: ours_forward_backward(mdp, reward))
    return {"case": "gridworld 128x128 (speed floor)", "states": mdp.n_states, "actions": mdp.n_actions,
            "horizon": mdp.horizon, "irlbook_s": best, "irlbook_median_s": median,
            "imitation_dense_bytes": mdp.n_states * mdp.n_actions * mdp.n_states * 8}


def fit_comparison(target_gap=1e-4, n_demos=2000, lrs=(0.01, 0.03, 0.1), max_iter=3000):
    """Whole fits on a 32x32 Objectworld (gamma = 1, T = 8) to the same relative feature gap."""
    import torch
    from imitation.algorithms import mce_irl
    from imitation.rewards import reward_nets

    world = ObjectWorld(size=32, seed=0, discount=1.0, horizon=8)
    mdp, features = world.mdp, world.continuous_features
    expert = soft_value_iteration(mdp.with_horizon(9), 5 * world.reward).policy
    states, actions = sample_trajectories(mdp.with_horizon(9), expert, n_demos, seed=0)
    out = {"world": "objectworld 32x32, 5 actions, 70% success, gamma=1, T=8", "n_demos": n_demos,
           "features": "continuous (4)", "target_gap": target_gap}

    def ours():
        return maxent_irl(mdp, features, states[:, :8], actions[:, :8], tol=target_gap)

    fit = ours()
    out["irlbook_gap"] = fit.feature_gap
    out["irlbook_iterations"] = int(len(fit.history["objective"]))
    out["irlbook_s"], out["irlbook_median_s"] = best_time(ours)

    env = imitation_env(mdp, features)
    demo_om = np.zeros(mdp.n_states)
    np.add.at(demo_om, states.ravel(), 1.0)
    demo_om /= n_demos
    demo_counts = demo_om @ features
    runs = []
    for lr in lrs:
        torch.manual_seed(0)
        net = reward_nets.BasicRewardNet(env.observation_space, env.action_space, use_action=False,
                                         hid_sizes=()).double()
        trainer = mce_irl.MCEIRL(demo_om, env, net, optimizer_kwargs={"lr": lr}, discount=1.0,
                                 log_interval=None, linf_eps=0.0, grad_l2_eps=0.0,
                                 rng=np.random.default_rng(0))
        obs = torch.as_tensor(env.observation_matrix, dtype=torch.float64)
        start = time.perf_counter()
        gap, iterations = np.inf, 0
        while gap > target_gap and iterations < max_iter:
            _, visitations = trainer._train_step(obs)   # one MCEIRL iteration, as MCEIRL.train runs it
            iterations += 1
            gap = np.abs(visitations @ features - demo_counts).max() / np.abs(demo_counts).max()
        runs.append({"lr": lr, "seconds": time.perf_counter() - start, "iterations": iterations,
                     "gap": float(gap), "reached": bool(gap <= target_gap)})
    out["imitation_runs"] = runs
    reached = [r for r in runs if r["reached"]]
    best = min(reached, key=lambda r: r["seconds"]) if reached else max(runs, key=lambda r: r["seconds"])
    out["imitation_s"] = best["seconds"]
    out["imitation_reached"] = bool(reached)
    out["speedup"] = best["seconds"] / out["irlbook_s"]
    return out


def plot(rows, path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    dense = [r for r in rows if r["case"].startswith("dense")]
    sparse = [r for r in rows if not r["case"].startswith("dense")]
    fig, axes = plt.subplots(1, 2, figsize=(9, 3.3))
    S = [r["states"] for r in dense]
    axes[0].loglog(S, [r["irlbook_s"] for r in dense], "o-", label="irlbook (numpy)")
    axes[0].loglog(S, [r["irlbook_torch_cpu_s"] for r in dense], "s--", label="irlbook (torch, CPU)")
    axes[0].loglog(S, [r["imitation_s"] for r in dense], "^-", label="imitation 1.0.1")
    axes[0].set_xlabel("states (dense random MDP, 4 actions, T=20)")
    axes[0].set_ylabel("soft VI + visitation [s]")
    axes[0].legend(fontsize=8)
    names = [r["case"] for r in sparse]
    x = np.arange(len(sparse))
    axes[1].bar(x - 0.2, [r["irlbook_s"] for r in sparse], 0.4, label="irlbook")
    axes[1].bar(x + 0.2, [r["imitation_s"] for r in sparse], 0.4, label="imitation 1.0.1")
    axes[1].set_yscale("log")
    axes[1].set_xticks(x, names, rotation=15, fontsize=8)
    axes[1].set_ylabel("soft VI + visitation [s]")
    axes[1].legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=120)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="skip the 4096-state and 64x64 cases")
    args = parser.parse_args()
    rows = forward_backward_rows(args.quick)
    floor = speed_floor()
    fit = fit_comparison()
    print(f"{'case':28s} {'S':>6s} {'A':>2s} {'T':>4s} {'max|diff|':>10s} {'irlbook':>9s} "
          f"{'torch-cpu':>9s} {'imitation':>10s} {'speedup':>8s}")
    for r in rows:
        torch_s = f"{r['irlbook_torch_cpu_s']:9.4f}" if r["irlbook_torch_cpu_s"] is not None else f"{'-':>9s}"
        print(f"{r['case']:28s} {r['states']:6d} {r['actions']:2d} {r['horizon']:4d} {r['max_abs_diff']:10.1e} "
              f"{r['irlbook_s']:9.4f} {torch_s} {r['imitation_s']:10.4f} {r['speedup']:7.1f}x")
    print(f"{floor['case']:28s} {floor['states']:6d} {floor['actions']:2d} {floor['horizon']:4d} {'':>10s} "
          f"{floor['irlbook_s']:9.4f} {'-':>9s} {'(10.7 GB)':>10s}")
    print(f"\nwhole fit, {fit['world']}, {fit['n_demos']} demos, to relative feature gap {fit['target_gap']:g}:")
    print(f"  irlbook maxent_irl (L-BFGS): {fit['irlbook_s']:.3f} s, {fit['irlbook_iterations']} iterations, "
          f"gap {fit['irlbook_gap']:.1e}")
    for run in fit["imitation_runs"]:
        print(f"  imitation MCEIRL (Adam lr={run['lr']}): {run['seconds']:.3f} s, {run['iterations']} iterations, "
              f"gap {run['gap']:.1e}{'' if run['reached'] else ' (not reached)'}")
    print(f"  speedup {fit['speedup']:.1f}x")
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    plot(rows, os.path.join(root, "benchmarks", "maxent_speed.png"))
    import imitation
    import torch

    from irlbook.book.records import save_result

    values = {"forward_backward": rows, "speed_floor": floor, "fit": fit, "repeats": REPEATS,
              "timing": "min over repeats, wall clock", "cpu_affinity": sorted(os.sched_getaffinity(0)),
              "omp_num_threads": os.environ.get("OMP_NUM_THREADS"), "imitation_version": imitation.__version__,
              "torch_version": torch.__version__, "gpu": "none in this run: GPU timings of the torch path not measured",
              "load_average": os.getloadavg()}
    path = save_result("benchmark_maxent", values, seed=0, command="make bench (" + " ".join(sys.argv) + ")")
    print(f"\nsaved {os.path.relpath(path, root)} and benchmarks/maxent_speed.png")


if __name__ == "__main__":
    main()
