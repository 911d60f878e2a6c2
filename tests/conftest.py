import os

import numpy as np
import pytest

os.environ.setdefault("MUJOCO_GL", "egl")

import irlbook  # noqa: E402


def random_mdp(seed=0, S=4, A=3, T=4, discount=1.0, sparsity=0.0):
    """A random dense MDP; ``sparsity`` zeroes that fraction of transitions (keeping one per row)."""
    rng = np.random.default_rng(seed)
    P = rng.random((S, A, S))
    if sparsity:
        mask = rng.random((S, A, S)) < sparsity
        mask[np.arange(S)[:, None], np.arange(A)[None, :], rng.integers(S, size=(S, A))] = False
        P[mask] = 0.0
    P /= P.sum(axis=-1, keepdims=True)
    initial = rng.random(S)
    return irlbook.TabularMDP(P, initial / initial.sum(), T, discount)


@pytest.fixture
def tiny_mdp():
    return random_mdp()
