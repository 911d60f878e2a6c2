"""Forward messages: state visitation, feature counts and trajectory sampling.

``D_0 = p(s_0)`` and ``D_{t+1}(s') = sum_{s,a} D_t(s) pi_t(a|s) P(s'|s,a)``
(chapter 1). Feature counts weight time step ``t`` by ``gamma^t``.
"""

from __future__ import annotations

import numpy as np

from .mdp import TabularMDP
from .planning import check_mdp

_PROB_TOL = 1e-6


def check_policy(mdp: TabularMDP, policy, name: str = "policy") -> np.ndarray:
    """Validate a policy [T, S, A] (or stationary [S, A]); return it as [T, S, A]."""
    try:
        policy = np.asarray(policy, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a numeric array of shape [T, S, A] or [S, A]") from None
    T, S, A = mdp.horizon, mdp.n_states, mdp.n_actions
    if policy.shape == (S, A):
        policy = np.broadcast_to(policy, (T, S, A))
    elif policy.shape != (T, S, A):
        raise ValueError(
            f"{name} must have shape [T, S, A] = ({T}, {S}, {A}) or [S, A] = ({S}, {A}), got {policy.shape}"
        )
    if not np.all(np.isfinite(policy)):
        raise ValueError(f"{name} contains NaN or inf; it must hold probabilities")
    if np.any(policy < 0):
        raise ValueError(f"{name} has negative entries; pi(a|s) must be non-negative")
    sums = policy.sum(axis=-1)
    if np.any(np.abs(sums - 1.0) > _PROB_TOL):
        worst = np.unravel_index(np.argmax(np.abs(sums - 1.0)), sums.shape)
        raise ValueError(
            f"{name} is not a distribution over actions: at (t, s) = {tuple(int(i) for i in worst)} "
            f"the probabilities sum to {float(sums[worst]):.6g}"
        )
    return policy


def check_features(mdp: TabularMDP, features, name: str = "features") -> np.ndarray:
    """Validate features [S, F] (state) or [S, A, F] (state-action); return float64."""
    try:
        features = np.asarray(features, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a numeric array of shape [S, F] or [S, A, F]") from None
    S, A = mdp.n_states, mdp.n_actions
    if not ((features.ndim == 2 and features.shape[0] == S) or
            (features.ndim == 3 and features.shape[:2] == (S, A))):
        raise ValueError(f"{name} must have shape [S, F] or [S, A, F] with S={S}, A={A}, got {features.shape}")
    if features.shape[-1] == 0:
        raise ValueError(f"{name} must have at least one feature column")
    if not np.all(np.isfinite(features)):
        raise ValueError(f"{name} contains NaN or inf")
    return features



def check_demos(mdp: TabularMDP, features: np.ndarray, demo_states, demo_actions=None):
    """Validate demonstrations: ``demo_states`` int [N, T], ``demo_actions`` int [N, T] or None.

    Actions are required when ``features`` are state-action features [S, A, F]. Returns the
    two arrays (``demo_actions`` may stay None).
    """
    demo_states = np.asarray(demo_states)
    if demo_states.ndim != 2 or demo_states.size == 0:
        raise ValueError(f"demo_states must be a non-empty int array [N, T], got shape {demo_states.shape}")
    if not np.issubdtype(demo_states.dtype, np.integer):
        raise ValueError(f"demo_states must hold integer state indices, got dtype {demo_states.dtype}")
    if demo_states.shape[1] != mdp.horizon:
        raise ValueError(
            f"demo_states must have one column per time step: shape [N, T={mdp.horizon}], got {demo_states.shape}"
        )
    if demo_states.min() < 0 or demo_states.max() >= mdp.n_states:
        raise ValueError(f"demo_states must lie in [0, {mdp.n_states})")
    if demo_actions is not None:
        demo_actions = np.asarray(demo_actions)
        if demo_actions.shape != demo_states.shape:
            raise ValueError(f"demo_actions must have shape {demo_states.shape}, got {demo_actions.shape}")
        if not np.issubdtype(demo_actions.dtype, np.integer):
            raise ValueError(f"demo_actions must hold integer action indices, got dtype {demo_actions.dtype}")
        if demo_actions.min() < 0 or demo_actions.max() >= mdp.n_actions:
            raise ValueError(f"demo_actions must lie in [0, {mdp.n_actions})")
    elif np.ndim(features) == 3:
        raise ValueError("demo_actions are required with state-action features [S, A, F]")
    return demo_states, demo_actions

def state_visitation(mdp: TabularMDP, policy) -> np.ndarray:
    """State visitation ``D`` [T, S] of ``policy`` from ``mdp.initial``; each row sums to 1."""
    check_mdp(mdp)
    policy = check_policy(mdp, policy)
    D = np.empty((mdp.horizon, mdp.n_states))
    D[0] = mdp.initial
    for t in range(mdp.horizon - 1):
        D[t + 1] = mdp.push_forward(D[t][:, None] * policy[t])
    return D


def state_action_visitation(mdp: TabularMDP, policy) -> np.ndarray:
    """``D_t(s) pi_t(a|s)``, shape [T, S, A]."""
    policy = check_policy(mdp, policy)
    return state_visitation(mdp, policy)[:, :, None] * policy


def discount_weights(mdp: TabularMDP) -> np.ndarray:
    """``gamma^t`` for ``t = 0..T-1``, shape [T]."""
    return mdp.discount ** np.arange(mdp.horizon)


def expected_feature_counts(mdp: TabularMDP, policy, features) -> np.ndarray:
    """``mu(pi) = E_pi[sum_t gamma^t f(s_t[, a_t])]`` computed exactly, shape [F]."""
    features = check_features(mdp, features)
    gammas = discount_weights(mdp)
    if features.ndim == 2:
        D = state_visitation(mdp, policy)
        return (gammas @ D) @ features
    D = state_action_visitation(mdp, policy)
    return np.einsum("t,tsa,saf->f", gammas, D, features)


def empirical_feature_counts(features, states, actions=None, discount: float = 1.0) -> np.ndarray:
    """Average discounted feature counts of demonstrations, shape [F].

    features : [S, F] or [S, A, F];  states, actions : int [N, T].
    """
    features = np.asarray(features, dtype=np.float64)
    states = np.asarray(states)
    if states.ndim != 2 or states.shape[0] == 0 or states.shape[1] == 0:
        raise ValueError(f"states must be a non-empty int array of shape [N, T], got {states.shape}")
    gammas = discount ** np.arange(states.shape[1])
    if features.ndim == 2:
        per_step = features[states]
    else:
        if actions is None:
            raise ValueError("actions are required for state-action features [S, A, F]")
        actions = np.asarray(actions)
        if actions.shape != states.shape:
            raise ValueError(f"actions must have the shape of states {states.shape}, got {actions.shape}")
        per_step = features[states, actions]
    return np.einsum("t,ntf->f", gammas, per_step) / states.shape[0]


def sample_trajectories(mdp: TabularMDP, policy, n: int, seed=None):
    """Sample ``n`` trajectories of length ``T`` (vectorised over trajectories).

    Returns ``(states, actions)``, both int arrays of shape [n, T].
    """
    check_mdp(mdp)
    policy = check_policy(mdp, policy)
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"n must be a positive integer, got {n!r}")
    rng = np.random.default_rng(seed)
    T = mdp.horizon
    states = np.empty((n, T), dtype=np.int64)
    actions = np.empty((n, T), dtype=np.int64)
    states[:, 0] = rng.choice(mdp.n_states, size=n, p=mdp.initial / mdp.initial.sum())
    for t in range(T):
        cumulative = np.cumsum(policy[t, states[:, t]], axis=1)
        u = rng.random((n, 1)) * cumulative[:, -1:]
        actions[:, t] = np.minimum((cumulative <= u).sum(axis=1), mdp.n_actions - 1)
        if t + 1 < T:
            states[:, t + 1] = mdp.sample_next(states[:, t], actions[:, t], rng)
    return states, actions
