"""Comparing rewards and policies.

* Expected value difference (EVD; Levine et al. 2011): how much true value the
  optimal policy of a learned reward loses against the truly optimal policy.
"""

from __future__ import annotations

import numpy as np

from .mdp import TabularMDP
from .planning import check_reward, policy_evaluation, value_iteration


def expected_value(mdp: TabularMDP, reward, policy) -> float:
    """``E_{s_0 ~ p_0}[V^pi_0(s_0)]`` under ``reward`` [S] or [S, A]; policy [T,S,A] or [S,A]."""
    return float(mdp.initial @ policy_evaluation(mdp, reward, policy).v[0])


def expected_value_difference(mdp: TabularMDP, true_reward, policy) -> float:
    """EVD: optimal expected true value minus the expected true value of ``policy``.

    Non-negative up to rounding; 0 means ``policy`` is optimal for ``true_reward``.
    Pass the (soft- or hard-) optimal policy of a learned reward as ``policy``.
    """
    true_reward = check_reward(mdp, true_reward, "true_reward")
    optimal = value_iteration(mdp, true_reward)
    return float(mdp.initial @ optimal.v[0]) - expected_value(mdp, true_reward, policy)
