"""Imperfect experts on a macrocell gridworld: the failure cases of chapter 3.

Max-margin methods assume the demonstrator is optimal for *some* reward in the
feature class. These builders produce demonstrators that are not, so chapter 3
can show the max-margin QP degenerate and chapter 4 can run MaxEnt on the very
same data:

``"optimal"``
    the optimal policy of the world's true reward (hard value iteration; ties split evenly).
``"epsilon_greedy"`` (stochastic)
    with probability ``epsilon`` a uniformly random action, else the optimal one.
``"two_goals"`` (stochastic population)
    half of the trajectories come from the optimal expert, half from an expert
    whose reward is the indicator of one other macrocell (``other_goal``).
``"myopic"`` (suboptimal, deterministic)
    plans only ``myopic_horizon`` steps ahead and repeats that first decision at
    every step: it heads for the nearest reward, not the best one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..core.demonstrations import Demonstrations, sample_trajectories
from ..core.planning import value_iteration
from ..core.visitation import expected_feature_counts

EXPERT_KINDS = ("optimal", "epsilon_greedy", "two_goals", "myopic")



@dataclass
class ExpertData:
    """Demonstrations of one (possibly imperfect) expert.

    kind : one of ``EXPERT_KINDS``;  states, actions : int [N, T]
    mu : [F] the expert's exact feature expectations (population average for ``"two_goals"``)
    value : float  the expert's exact expected true return ``w* . mu`` (``w*`` = ``world.true_weights``)
    """

    kind: str
    states: np.ndarray
    actions: np.ndarray
    mu: np.ndarray
    value: float

    @property
    def demos(self) -> Demonstrations:
        """The trajectories as :class:`~irlbook.core.demonstrations.Demonstrations`."""
        return Demonstrations.tabular(self.states, self.actions)


def expert_policy(world, kind: str, epsilon: float = 0.3, other_goal: int | None = None,
                  myopic_horizon: int = 5):
    """The expert's policy [T, S, A], or a pair of policies for ``"two_goals"``."""
    if kind not in EXPERT_KINDS:
        raise ValueError(f"kind must be one of {EXPERT_KINDS}, got {kind!r}")
    mdp = world.mdp
    optimal = value_iteration(mdp, world.reward).policy
    if kind == "optimal":
        return optimal
    if kind == "epsilon_greedy":
        if not (0.0 <= float(epsilon) <= 1.0):
            raise ValueError(f"epsilon must lie in [0, 1], got {epsilon}")
        return (1.0 - epsilon) * optimal + epsilon / mdp.n_actions
    if kind == "two_goals":
        n_cells = world.features.shape[1]
        if other_goal is None:  # the macrocell with zero true weight farthest (in index) from the best one
            candidates = np.flatnonzero(world.true_weights == 0)
            if candidates.size == 0:
                raise ValueError("two_goals needs a macrocell with zero true weight (or pass other_goal)")
            best = int(np.argmax(world.true_weights))
            other_goal = int(candidates[np.argmax(np.abs(candidates - best))])
        if not (0 <= int(other_goal) < n_cells):
            raise ValueError(f"other_goal must be a macrocell index in [0, {n_cells}), got {other_goal}")
        return optimal, value_iteration(mdp, world.features[:, int(other_goal)]).policy
    if isinstance(myopic_horizon, bool) or not isinstance(myopic_horizon, (int, np.integer)) or myopic_horizon < 1:
        raise ValueError(f"myopic_horizon must be a positive integer, got {myopic_horizon!r}")
    first = value_iteration(mdp.with_horizon(int(myopic_horizon)), world.reward).policy[0]
    return np.broadcast_to(first, (mdp.horizon,) + first.shape).copy()


def expert_demos(world, kind: str, n_demos: int, seed: int = 0, **kwargs) -> ExpertData:
    """Sample ``n_demos`` trajectories of the ``kind`` expert on ``world`` (a GridWorld).

    Keyword arguments go to :func:`expert_policy`. For ``"two_goals"`` the first
    ``ceil(n/2)`` trajectories come from the optimal expert, the rest from the other one.
    """
    if isinstance(n_demos, bool) or not isinstance(n_demos, (int, np.integer)) or n_demos < 1:
        raise ValueError(f"n_demos must be a positive integer, got {n_demos!r}")
    mdp, features = world.mdp, world.features
    policy = expert_policy(world, kind, **kwargs)
    if kind == "two_goals":
        first, second = policy
        n_first = (n_demos + 1) // 2
        s1, a1 = sample_trajectories(mdp, first, n_first, seed)
        parts = [(s1, a1)]
        if n_demos - n_first:
            parts.append(sample_trajectories(mdp, second, n_demos - n_first, seed + 1))
        states = np.concatenate([p[0] for p in parts])
        actions = np.concatenate([p[1] for p in parts])
        mu = 0.5 * (expected_feature_counts(mdp, first, features) + expected_feature_counts(mdp, second, features))
    else:
        states, actions = sample_trajectories(mdp, policy, n_demos, seed)
        mu = expected_feature_counts(mdp, policy, features)
    return ExpertData(kind=kind, states=states, actions=actions, mu=mu, value=float(world.true_weights @ mu))


# ------------------------------------------------------------ evaluation


def optimal_value(world) -> float:
    """Expected true return ``w* . mu(pi*)`` of the optimal policy of ``world``'s true reward."""
    return float(world.true_weights @ expected_feature_counts(
        world.mdp, value_iteration(world.mdp, world.reward).policy, world.features))


def reward_quality(world, weights) -> float:
    """True return of the optimal policy of ``features @ weights``, as a fraction of the optimal return.

    For ``weights = 0`` every action ties and the policy is uniformly random.
    """
    from ..tabular.feature_matching import policy_of

    policy = policy_of(world.mdp, world.features, weights)
    return float(world.true_weights @ expected_feature_counts(world.mdp, policy, world.features)) / optimal_value(world)


def margin_failure_report(world, data: ExpertData, epsilon: float = 1e-6, n_iterations: int = 40,
                          slack_penalty: float = 1.0) -> dict:
    """Run the max-margin family on ``data`` and report what happens (one row of chapter 3's table).

    Max-margin constraint generation runs with a tiny ``epsilon`` (it stops only when the
    margin vanishes or after ``n_iterations`` planning steps). Then the SVM form without slack
    is solved over the policies found (``svm_feasible``), and with slack ``C = slack_penalty``.
    Values are true returns as fractions of the optimal return:

    ``expert``: the demonstrator;  ``mixture``: Abbeel & Ng's mixed policy;
    ``max_margin``: the optimal policy of the last max-margin ``psi``;
    ``svm_slack``: the optimal policy of the slack SVM's ``psi``.
    """
    from ..tabular.feature_matching import feature_expectations, max_margin_irl, svm_max_margin

    mdp, features = world.mdp, world.features
    demos = data.demos
    mu_demo = feature_expectations(mdp, features, demos=demos)
    result = max_margin_irl(mdp, features, demos, epsilon=epsilon, n_iterations=n_iterations)
    scale = optimal_value(world)
    try:
        svm_max_margin(mu_demo, result.mu)
        feasible = True
    except ValueError:
        feasible = False
    slack = svm_max_margin(mu_demo, result.mu, slack_penalty=slack_penalty)
    return {
        "expert": data.kind,
        "expert_value": data.value / scale,
        "iterations": result.iterations,
        "final_margin": float(result.history["distance"][-1]),
        "psi_norm": float(np.linalg.norm(result.weights)),
        "svm_feasible": feasible,
        "mixture_value": float(world.true_weights @ result.mixture_mu()) / scale,
        "max_margin_value": reward_quality(world, result.weights),
        "svm_slack_value": reward_quality(world, slack.weights),
        "total_slack": float(slack.slacks.sum()),
    }
