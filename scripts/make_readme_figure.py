"""Draw the README figure (book/figures/readme.png) with the library itself.

A 16x16 noisy gridworld (Abbeel & Ng's macrocell setting, scaled down): the true reward, the
expert's state visitation under the soft-optimal policy, and the reward that exact
maximum-entropy IRL recovers from 200 sampled demonstrations
(with a small L2 penalty, since macrocells the expert never visits would otherwise get
weights that run off to minus infinity).

Run: python scripts/make_readme_figure.py [output.png]
"""

from __future__ import annotations

import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from irlbook import maxent_irl, sample_trajectories, soft_value_iteration, state_visitation  # noqa: E402
from irlbook.book.plotting import reward_heatmap, save_figure, visitation_map  # noqa: E402
from irlbook.envs.gridworld import GridWorld  # noqa: E402

SIZE, SEED = 16, 0


def draw(path: Path) -> None:
    world = GridWorld(size=SIZE, macrocells=4, noise=0.3, horizon=30, discount=0.99, n_rewarding=3, seed=SEED)
    expert = soft_value_iteration(world.mdp, world.reward * 10.0)
    states, actions = sample_trajectories(world.mdp, expert.policy, n=200, seed=SEED)
    learned = maxent_irl(world.mdp, world.features, states, actions, l2=0.1)
    plt.rcParams.update({"font.family": "DejaVu Sans"})
    fig, axes = plt.subplots(1, 3, figsize=(11, 3.6), dpi=100)
    reward_heatmap(world.reward, SIZE, ax=axes[0], title="true reward")
    visitation_map(state_visitation(world.mdp, expert.policy), SIZE, ax=axes[1], title="expert visitation")
    reward_heatmap(learned.reward, SIZE, ax=axes[2], title="MaxEnt IRL reward, 200 demos")
    save_figure(fig, path)


if __name__ == "__main__":
    root = Path(__file__).resolve().parent.parent
    draw(Path(sys.argv[1]) if len(sys.argv) > 1 else root / "book" / "figures" / "readme.png")
