"""Claims of chapters 3 and 4 that the prose derives: each checked independently of the notebooks.

Chapter 3: the projection step is never clipped with exact expert feature expectations and exact planning
(exercise ex-fm-clip), and can be with sampled ones. Chapter 4: log Z(psi, s0) is the non-causal V0(s0)
(enumeration); the causal dual g has gradient mu - f_demo and is convex, and its gradient is not that of the
non-causal likelihood under stochastic dynamics; counts on the boundary give weights whose size is set by tol;
the exercise on unachievable counts (start in a cell: fine; stay there: refused).
"""

import itertools

import numpy as np
import pytest

from irlbook import (
    Demonstrations,
    TabularMDP,
    demo_log_likelihood,
    maxent_irl,
    sample_trajectories,
    soft_value_iteration,
    value_iteration,
)
from irlbook.envs import GridWorld
from irlbook.tabular import projection_irl
from irlbook.tabular.maxent import maxent_objective


def _unclipped_steps(result):
    """Replay the projection recursion from the stored mu_j and return the unclipped eta_i."""
    mu_bar, steps = result.mu[0].copy(), []
    for mu_i in result.mu[1:]:
        step = mu_i - mu_bar
        steps.append(step @ (result.mu_expert - mu_bar) / (step @ step))
        mu_bar = mu_bar + np.clip(steps[-1], 0.0, 1.0) * step
    return np.array(steps)


@pytest.fixture(scope="module")
def grid():
    return GridWorld(size=12, macrocells=3, noise=0.3, discount=0.99, horizon=30, n_rewarding=3, seed=0)


def test_projection_clip_never_acts_with_exact_expert(grid):
    expert = value_iteration(grid.mdp, grid.reward).policy
    result = projection_irl(grid.mdp, grid.features, expert_policy=expert, epsilon=1e-3, n_iterations=40)
    steps = _unclipped_steps(result)
    assert steps.size > 3
    assert steps.min() >= -1e-12 and steps.max() <= 1.0 + 1e-9


def test_projection_clip_acts_with_sampled_expert(grid):
    expert = value_iteration(grid.mdp, grid.reward).policy
    largest = []
    for seed in range(4):
        demos = Demonstrations.sample(grid.mdp, expert, 1, seed=seed)
        steps = _unclipped_steps(projection_irl(grid.mdp, grid.features, demos, epsilon=1e-3, n_iterations=30))
        assert steps.min() >= -1e-12          # eta >= 0 survives sampling: pi_i beats every mixture
        largest.append(steps.max())
    assert max(largest) > 1.0                 # eta <= 1 does not: a sampled mu_E need not be achievable


@pytest.fixture(scope="module")
def tiny():
    rng = np.random.default_rng(0)
    mdp = TabularMDP(rng.dirichlet(np.ones(4), size=(4, 2)), [0.5, 0.3, 0.2, 0.0], horizon=3)
    features = rng.normal(size=(4, 3))
    psi = rng.normal(size=3)
    demos = Demonstrations(*sample_trajectories(mdp, soft_value_iteration(mdp, features @ psi).policy, 20, seed=1))
    return mdp, features, psi, demos


def test_log_partition_given_start_is_noncausal_value(tiny):
    mdp, features, psi, _ = tiny
    reward = features @ psi
    v0 = soft_value_iteration(mdp, reward, causal=False).v[0]
    P = mdp.transitions
    for s0 in range(mdp.n_states):
        z = 0.0
        for acts in itertools.product(range(mdp.n_actions), repeat=mdp.horizon):
            for rest in itertools.product(range(mdp.n_states), repeat=mdp.horizon - 1):
                path = (s0, *rest)
                weight = np.prod([P[path[t], acts[t], path[t + 1]] for t in range(mdp.horizon - 1)])
                z += weight * np.exp(reward[list(path)].sum())
        assert np.log(z) == pytest.approx(v0[s0], abs=1e-10)


def _finite_difference(fun, w, eps=1e-6):
    return np.array([(fun(w + eps * e) - fun(w - eps * e)) / (2 * eps) for e in np.eye(len(w))])


def test_causal_dual_gradient_convexity_and_difference_from_likelihood(tiny):
    mdp, features, psi, demos = tiny
    counts = demos.feature_counts(features, 1.0)
    def dual(w):
        return maxent_objective(mdp, features, w, counts)[0]
    gradient = maxent_objective(mdp, features, psi, counts)[1]
    assert np.abs(_finite_difference(dual, psi) - gradient).max() < 1e-6
    noncausal = -_finite_difference(lambda w: demo_log_likelihood(mdp, features @ w, demos, causal=False), psi)
    assert np.abs(noncausal - gradient).max() > 0.1             # grad g != -grad L under stochastic dynamics
    rng = np.random.default_rng(1)
    for a, b in rng.normal(size=(100, 2, 3)) * 3:
        assert dual((a + b) / 2) <= (dual(a) + dual(b)) / 2 + 1e-12


def test_boundary_counts_weights_set_by_tol():
    world = GridWorld(size=6, macrocells=3, noise=0.0, horizon=10, discount=1.0, seed=0, initial="corner")
    demos = Demonstrations(*sample_trajectories(world.mdp, value_iteration(world.mdp, world.reward).policy, 20,
                                                seed=0))
    norms = []
    for tol in (1e-4, 1e-7):
        fit = maxent_irl(world.mdp, world.features, demos, tol=tol)
        assert fit.converged and fit.on_boundary
        norms.append(np.linalg.norm(fit.weights))
    assert norms[1] > norms[0] + 5


def test_exercise_start_in_cell_is_feasible_staying_is_not():
    two = GridWorld(size=2, macrocells=2, noise=0.3, horizon=5, discount=1.0, seed=0)
    start = maxent_irl(two.mdp, two.features, np.array([[0, 1, 3, 2, 0], [0, 0, 1, 1, 3], [0, 2, 2, 3, 3]]))
    assert start.converged and not start.on_boundary and start.feature_gap < 1e-4
    with pytest.raises(ValueError, match="not achievable"):
        maxent_irl(two.mdp, two.features, np.zeros((3, 5), dtype=int))
    assert maxent_irl(two.mdp, two.features, np.zeros((3, 5), dtype=int), l2=0.1).converged
