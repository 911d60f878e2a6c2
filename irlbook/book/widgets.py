"""Interactive figures of the notebooks (chapters 2 and 3).

Each control is an :func:`irlbook.book.interactive.explorable`: live ipywidgets in a kernel,
precomputed frames on the static page; display it as the last expression of a cell. The drawing
itself happens in plain functions, so the figures can also be produced without controls.
"""

from __future__ import annotations

import numpy as np

from ..core.planning import soft_value_iteration
from ..core.shaping import shaped_reward
from .interactive import MAX_FRAMES, explorable

POTENTIALS = ("distance to goal", "row index", "random")


def make_potential(kind: str, size: int, goal: int, seed: int = 0) -> np.ndarray:
    """A potential ``Phi`` [size^2] on a grid: minus the distance to ``goal``, the row index, or noise."""
    rows, cols = np.divmod(np.arange(size * size), size)
    if kind == "distance to goal":
        goal_row, goal_col = divmod(goal, size)
        return -np.hypot(rows - goal_row, cols - goal_col)
    if kind == "row index":
        return rows.astype(np.float64)
    if kind == "random":
        return np.random.default_rng(seed).normal(size=size * size)
    raise ValueError(f"kind must be one of {POTENTIALS}, got {kind!r}")


def draw_shaping(world, reward, potential, scale: float, temperature: float = 1.0, axes=None):
    """Draw the shaped reward, its soft value and its policy beside the original's.

    Returns ``max |pi_shaped - pi_original|`` over all steps, states and actions
    (zero up to rounding: shaping paid back at the horizon changes no decision).
    """
    import matplotlib.pyplot as plt

    from ..envs.grid import MOVES_4, MOVES_5
    from .plotting import policy_arrows, reward_heatmap, value_heatmap

    mdp, size = world.mdp, world.size
    phi = scale * np.asarray(potential, dtype=np.float64)
    shaped = shaped_reward(mdp, reward, phi)
    original = soft_value_iteration(mdp, reward, temperature)
    after = soft_value_iteration(mdp, shaped, temperature, terminal_value=-phi)
    change = float(np.abs(after.policy - original.policy).max())
    if axes is None:
        _, axes = plt.subplots(1, 3, figsize=(12, 3.8))
    moves = MOVES_5 if mdp.n_actions == 5 else MOVES_4
    reward_heatmap(shaped.mean(axis=1), size, ax=axes[0], title="shaped reward (mean over actions)")
    value_heatmap(after.v[0], size, ax=axes[1], title="shaped soft value $V_0$")
    policy_arrows(after.policy[0], size, moves, ax=axes[2],
                  title=f"policy at t=0; max change {change:.1e}")
    return change


def shaping_explorer(world, reward, goal: int, temperature: float = 1.0,
                     scales=(-4.0, -1.0, 0.0, 1.0, 4.0)):
    """Controls for the potential's kind and scale; the policy panel never moves.

    world : a GridWorld (``.mdp``, ``.size``);  reward : [S] or [S, A];  goal : a state index;
    scales : the values the scale control offers. An :func:`irlbook.book.interactive.explorable`.
    """
    import matplotlib.pyplot as plt

    potentials = {kind: make_potential(kind, world.size, goal) for kind in POTENTIALS}

    def draw(potential, scale):
        fig, axes = plt.subplots(1, 3, figsize=(12, 3.8))
        draw_shaping(world, reward, potentials[potential], scale, temperature, axes)
        return fig

    start = {"scale": 1.0} if 1.0 in scales else None
    return explorable(draw, {"potential": list(POTENTIALS), "scale": list(scales)}, start=start,
                      alt="shaped reward, shaped soft value and policy")


def draw_feature_matching_iteration(world, result, i: int, axes=None):
    """One reward step of Abbeel & Ng's algorithms: weights ``psi_i``, its optimal policy, the distance.

    world : a GridWorld;  result : a :class:`irlbook.tabular.FeatureMatchingResult`;  i : reward step (0-based).
    """
    import matplotlib.pyplot as plt

    from ..envs.grid import MOVES_4, MOVES_5
    from ..tabular.feature_matching import policy_of
    from .plotting import grid_heatmap, policy_arrows

    psi = result.weight_history[i]
    m = int(round(np.sqrt(world.features.shape[1])))
    if axes is None:
        _, axes = plt.subplots(1, 3, figsize=(11, 3.4))
    grid_heatmap(psi, m, ax=axes[0], title=f"weights $\\psi_{{{i + 1}}}$ per macrocell", cmap="coolwarm")
    moves = MOVES_5 if world.mdp.n_actions == 5 else MOVES_4
    policy = policy_of(world.mdp, world.features, psi)[0]
    step = max(1, world.size // 16)  # on big grids draw every step-th cell's arrows only
    side = len(range(0, world.size, step))
    coarse = policy.reshape(world.size, world.size, -1)[::step, ::step].reshape(side * side, -1)
    policy_arrows(coarse, side, moves, ax=axes[1], title=f"policy of $\\psi_{{{i + 1}}}$ at $t=0$")
    distance = result.history["distance"]
    axes[2].semilogy(np.arange(1, len(distance) + 1), distance, "o-", ms=3)
    axes[2].semilogy([i + 1], [distance[i]], "ro", ms=8)
    axes[2].set_xlabel("reward step $i$")
    axes[2].set_title("normalised $\\|\\mu_E - \\bar\\mu\\|$")
    return axes


def iteration_slider(world, result, max_steps: int = 25, dpi: int = 60):
    """A slider over the reward steps of a feature-matching run: all of them, or ``max_steps``
    evenly spaced ones from the first to the last.

    world : a GridWorld;  result : a :class:`irlbook.tabular.FeatureMatchingResult`. Live widgets in a
    kernel, precomputed frames on the static page (:func:`irlbook.book.interactive.explorable`).
    """
    import matplotlib.pyplot as plt

    n_steps = len(result.weight_history)
    if isinstance(max_steps, bool) or not isinstance(max_steps, int) or not 2 <= max_steps <= MAX_FRAMES:
        raise ValueError(f"max_steps must be an integer in [2, {MAX_FRAMES}], got {max_steps!r}")
    steps = np.unique(np.linspace(1, n_steps, min(n_steps, max_steps)).round().astype(int)).tolist()

    def draw(step):
        fig, axes = plt.subplots(1, 3, figsize=(11, 3.4))
        draw_feature_matching_iteration(world, result, step - 1, axes)
        return fig

    return explorable(draw, {"step": steps}, start={"step": steps[0]}, dpi=dpi,
                      alt="weights, their policy and the feature distance at one reward step")
