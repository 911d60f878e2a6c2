"""Forward messages: state visitation, feature counts and trajectory sampling.

``D_0 = p(s_0)`` and ``D_{t+1}(s') = sum_{s,a} D_t(s) pi_t(a|s) P(s'|s,a)``
(chapter 1). Feature counts weight time step ``t`` by ``gamma^t``.
"""

from __future__ import annotations

import numpy as np

from ..validation import as_array, check_features, check_policy
from .mdp import TabularMDP, check_mdp


def state_visitation(mdp: TabularMDP, policy) -> np.ndarray:
    """State visitation ``D`` [T, S] of ``policy`` from ``mdp.initial``; each row sums to 1."""
    check_mdp(mdp)
    policy = check_policy(mdp, policy)
    D = np.empty((mdp.horizon, mdp.n_states))
    D[0] = mdp.initial
    flow = np.empty((mdp.n_states, mdp.n_actions))                      # D_t(s) pi_t(a|s)
    for t in range(mdp.horizon - 1):
        np.multiply(policy[t], D[t][:, None], out=flow)
        mdp._push_forward_into(flow, D[t + 1])
    return D


def state_action_visitation(mdp: TabularMDP, policy) -> np.ndarray:
    """``D_t(s) pi_t(a|s)``, shape [T, S, A]."""
    check_mdp(mdp)
    policy = check_policy(mdp, policy)
    return state_visitation(mdp, policy)[:, :, None] * policy


def discount_weights(mdp: TabularMDP) -> np.ndarray:
    """``gamma^t`` for ``t = 0..T-1``, shape [T]."""
    check_mdp(mdp)
    return mdp.discount ** np.arange(mdp.horizon)


def expected_feature_counts(mdp: TabularMDP, policy, features) -> np.ndarray:
    """``mu(pi) = E_pi[sum_t gamma^t f(s_t[, a_t])]`` computed exactly, shape [F].

    The model side of feature matching (:func:`irlbook.empirical_feature_counts` is the data side).
    """
    check_mdp(mdp)
    policy = check_policy(mdp, policy)
    return visitation_feature_counts(mdp, state_visitation(mdp, policy), policy, features)


def visitation_feature_counts(mdp: TabularMDP, visitation, policy, features) -> np.ndarray:
    """``sum_t gamma^t E_{s ~ D_t, a ~ pi_t}[f(s[, a])]``, shape [F], for a given visitation ``D`` [T, S]
    (from :func:`state_visitation`, or another forward pass such as non-causal MaxEnt's) and policy
    [T, S, A]; features [S, F] or [S, A, F]. The one place the library contracts visitations with features.
    """
    check_mdp(mdp)
    features = check_features(mdp, features)
    visitation = as_array(visitation, "visitation", shape=(mdp.horizon, mdp.n_states))
    gammas = discount_weights(mdp)
    if features.ndim == 2:
        return (gammas @ visitation) @ features
    policy = check_policy(mdp, policy)
    return np.einsum("t,ts,tsa,saf->f", gammas, visitation, policy, features)
