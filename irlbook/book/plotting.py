"""Figures every chapter uses: grid heatmaps, policy arrows, training curves.

All functions draw on a matplotlib ``Axes`` (a new one when ``ax`` is None)
and return it, so notebooks can compose them into subplot grids.
"""

from __future__ import annotations

import numpy as np


def _axes(ax):
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=(4, 4))
    return ax


def grid_heatmap(values, size: int, ax=None, title: str | None = None, cmap: str = "viridis",
                 colorbar: bool = True, **imshow_kwargs):
    """Show per-state values [S] (``S = size^2``, state ``row*size + col``) as an image."""
    values = np.asarray(values, dtype=np.float64)
    if values.shape != (size * size,):
        raise ValueError(f"values must have shape [size^2] = ({size * size},), got {values.shape}")
    ax = _axes(ax)
    image = ax.imshow(values.reshape(size, size), cmap=cmap, origin="upper", **imshow_kwargs)
    if colorbar:
        ax.figure.colorbar(image, ax=ax, fraction=0.046, pad=0.04)
    if title:
        ax.set_title(title)
    ax.set_xticks([])
    ax.set_yticks([])
    return ax


def reward_heatmap(reward, size: int, ax=None, title: str = "reward", **kwargs):
    """A reward [S] on the grid (diverging colours centred on zero)."""
    reward = np.asarray(reward, dtype=np.float64)
    bound = float(np.abs(reward).max()) or 1.0
    return grid_heatmap(reward, size, ax=ax, title=title, cmap=kwargs.pop("cmap", "RdBu_r"),
                        vmin=-bound, vmax=bound, **kwargs)


def value_heatmap(values, size: int, ax=None, title: str = "value", **kwargs):
    """State values [S] on the grid."""
    return grid_heatmap(values, size, ax=ax, title=title, **kwargs)


def visitation_map(visitation, size: int, ax=None, title: str = "state visitation", **kwargs):
    """Visitation [T, S] summed over time (or [S]) on the grid."""
    visitation = np.asarray(visitation, dtype=np.float64)
    if visitation.ndim == 2:
        visitation = visitation.sum(axis=0)
    return grid_heatmap(visitation, size, ax=ax, title=title, cmap=kwargs.pop("cmap", "magma"), **kwargs)


def policy_arrows(policy, size: int, moves, ax=None, title: str | None = None, color: str = "k",
                  scale: float = 0.4):
    """Arrows of each action's probability in every cell.

    policy : [S, A] (one time step);  moves : [A, 2] ``(d_row, d_col)`` per action
    (``irlbook.envs.grid.MOVES_4`` / ``MOVES_5``). A "stay" action draws a dot.
    """
    policy = np.asarray(policy, dtype=np.float64)
    moves = np.asarray(moves)
    if policy.shape != (size * size, len(moves)):
        raise ValueError(f"policy must have shape [size^2, A] = ({size * size}, {len(moves)}), got {policy.shape}")
    ax = _axes(ax)
    rows, cols = np.divmod(np.arange(size * size), size)
    for a, (d_row, d_col) in enumerate(moves):
        p = policy[:, a]
        if d_row == 0 and d_col == 0:
            ax.scatter(cols, rows, s=40 * p, color=color)
            continue
        ax.quiver(cols, rows, d_col * p * scale, -d_row * p * scale, color=color,
                  angles="xy", scale_units="xy", scale=1, width=0.004)
    ax.set_xlim(-0.5, size - 0.5)
    ax.set_ylim(size - 0.5, -0.5)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    if title:
        ax.set_title(title)
    return ax


def training_curves(history: dict, keys=None, ax=None, log_y: bool = False, title: str | None = None):
    """Plot the per-iteration series of a history dict (e.g. ``result.history``)."""
    ax = _axes(ax)
    for key in keys or list(history):
        series = np.asarray(history[key], dtype=np.float64)
        ax.plot(np.arange(len(series)), series, label=key)
    ax.set_xlabel("iteration")
    if log_y:
        ax.set_yscale("log")
    ax.legend()
    if title:
        ax.set_title(title)
    return ax


def mean_band(x, runs, ax=None, label: str | None = None, **kwargs):
    """Mean line with a +-1 standard deviation band over ``runs`` [n_seeds, len(x)]."""
    ax = _axes(ax)
    runs = np.asarray(runs, dtype=np.float64)
    mean, std = runs.mean(axis=0), runs.std(axis=0)
    (line,) = ax.plot(x, mean, label=label, **kwargs)
    ax.fill_between(x, mean - std, mean + std, color=line.get_color(), alpha=0.2)
    return ax


def save_figure(fig, path, **savefig_kwargs) -> None:
    """Lay out ``fig``, write it to ``path`` (creating the folder) with no software stamp in the PNG
    metadata, so that re-drawing an unchanged figure gives the same bytes, and close it."""
    from pathlib import Path

    import matplotlib.pyplot as plt

    path = Path(path)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, metadata={"Software": None}, **savefig_kwargs)
    plt.close(fig)
