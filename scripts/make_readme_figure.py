"""Draw the README / landing-page figure: a reward, its soft-optimal behaviour, and the reward MaxEnt IRL
recovers from 64 demonstrations of that behaviour.

    .venv/bin/python scripts/make_readme_figure.py    # writes book/figures/readme.png
"""

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

import irlbook  # noqa: E402
from irlbook.envs import GridWorld  # noqa: E402
from irlbook.plotting import reward_heatmap, visitation_map  # noqa: E402

OUT = Path(__file__).resolve().parent.parent / "book" / "figures" / "readme.png"


def main() -> None:
    world = GridWorld(size=16, macrocells=4, noise=0.2, stay_action=True, horizon=30, discount=1.0,
                      n_rewarding=3, seed=3, initial="corner")
    reward = 3.0 * world.reward / np.abs(world.reward).max()
    expert = irlbook.soft_value_iteration(world.mdp, reward)
    states, actions = irlbook.sample_trajectories(world.mdp, expert.policy, 64, seed=0)
    learned = irlbook.maxent_irl(world.mdp, world.features, states, actions, l2=1e-3)

    fig, axes = plt.subplots(1, 3, figsize=(11, 3.6))
    reward_heatmap(reward, 16, ax=axes[0], title="true reward")
    visitation_map(irlbook.state_visitation(world.mdp, expert.policy), 16, ax=axes[1],
                   title="expert's expected visits")
    reward_heatmap(learned.reward, 16, ax=axes[2], title="reward recovered by MaxEnt IRL")
    fig.tight_layout()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(OUT, dpi=110)


if __name__ == "__main__":
    main()
