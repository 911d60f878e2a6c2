"""The peer: imitation 1.0.1's tabular MCE IRL, called on irlbook's MDPs (nothing of it is copied here).

Runs in ``.bench-venv`` (``benchmarks/setup_venv.sh``): imitation pins gymnasium~=0.29, so it cannot live
in the book's environment. Conventions (imitation -> irlbook), checked numerically by :func:`max_abs_diff`
before anything is timed:

* ``mce_partition_fh(env, reward=r, discount=g)`` returns ``V[t,s]``, ``Q[t,s,a]``, ``pi[t,s,a]`` for
  ``t = 0..H-1`` with ``Q[H-1] = r`` and ``Q[t] = r + g T V[t+1]``: irlbook's causal
  ``soft_value_iteration(mdp, r)`` (temperature 1) for ``mdp.horizon = H``, ``mdp.discount = g``.
  Rewards are state-only ``[S]`` in imitation (``[S]`` or ``[S, A]`` in irlbook).
* ``mce_occupancy_measures(env, pi=pi, discount=g)`` returns ``D`` of shape ``[H+1, S]`` (one more state
  than there are decisions, so one more forward step than irlbook takes) and
  ``Dcum = sum_{t=0}^{H} g^t D[t]``; irlbook's ``state_visitation`` is ``D[:H]``, and
  ``Dcum - g^H D[H]`` is irlbook's discounted visitation.
"""

from __future__ import annotations

import types

import numpy as np

import irlbook


def imitation_env(mdp, features=None):
    """The attributes imitation's tabular functions and ``MCEIRL`` read, built from an irlbook MDP."""
    import gymnasium as gym

    S, A = mdp.n_states, mdp.n_actions
    obs = np.eye(S) if features is None else np.asarray(features, dtype=np.float64)
    return types.SimpleNamespace(
        horizon=mdp.horizon, state_dim=S, action_dim=A, n_states=S, n_actions=A,
        transition_matrix=np.ascontiguousarray(mdp.transitions), initial_state_dist=mdp.initial.copy(),
        reward_matrix=np.zeros(S), observation_matrix=obs,
        state_space=gym.spaces.Discrete(S), action_space=gym.spaces.Discrete(A),
        observation_space=gym.spaces.Box(-np.inf, np.inf, shape=(obs.shape[1],), dtype=np.float64),
        pomdp_state_space=gym.spaces.Discrete(S))


def peer_forward_backward(env, reward, discount):
    """imitation: soft value iteration, then the occupancy measures of its policy."""
    from imitation.algorithms import mce_irl

    V, Q, pi = mce_irl.mce_partition_fh(env, reward=reward, discount=discount)
    D, Dcum = mce_irl.mce_occupancy_measures(env, reward=reward, pi=pi, discount=discount)
    return V, Q, pi, D, Dcum


def ours_forward_backward(mdp, reward):
    """irlbook: soft value iteration, then the state visitation of its policy."""
    plan = irlbook.soft_value_iteration(mdp, reward)
    return plan, irlbook.state_visitation(mdp, plan.policy)


def max_abs_diff(mdp, env, reward) -> float:
    """max |difference| of V, Q, pi, D and the discounted visitation, in matching conventions."""
    plan, D = ours_forward_backward(mdp, reward)
    V, Q, pi, D_peer, Dcum = peer_forward_backward(env, reward, mdp.discount)
    ours_cum = (mdp.discount ** np.arange(mdp.horizon)) @ D
    peer_cum = Dcum - mdp.discount ** mdp.horizon * D_peer[mdp.horizon]
    return float(max(np.abs(plan.v - V).max(), np.abs(plan.q - Q).max(), np.abs(plan.policy - pi).max(),
                     np.abs(D - D_peer[:mdp.horizon]).max(), np.abs(ours_cum - peer_cum).max()))
