"""Control as inference: backward and forward messages (chapter 1).

Add a binary optimality variable ``O_t`` to every step with
``p(O_t = 1 | s_t, a_t) = exp(r(s_t, a_t))`` and a uniform action prior. Then

    beta_t(s, a) = p(O_{t:T-1} | s_t = s, a_t = a)
                 = exp(r(s, a)) * sum_{s'} P(s'|s,a) beta_{t+1}(s'),
    beta_t(s)    = sum_a beta_t(s, a),               beta_T(s) = 1,
    alpha_0(s)   = p_0(s),
    alpha_{t+1}(s') = sum_{s,a} alpha_t(s) exp(r(s, a)) P(s'|s,a),

(the uniform prior's constant ``1/A`` per step cancels from every posterior and is
dropped). In log space ``log beta_t(s, a)`` and ``log beta_t(s)`` are exactly the
*non-causal* soft ``Q_t`` and ``V_t`` of :func:`irlbook.soft_value_iteration`
at temperature 1, and the posterior over states is ``alpha_t(s) beta_t(s)``
normalised. All functions work in log space and are stable for any finite reward.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import logsumexp

from ..validation import check_reward, check_size
from .mdp import TabularMDP, check_mdp


@dataclass(frozen=True)
class Messages:
    """log_beta_sa [T,S,A], log_beta_s [T,S], log_alpha [T,S] (natural logs)."""

    log_beta_sa: np.ndarray
    log_beta_s: np.ndarray
    log_alpha: np.ndarray

    @property
    def posterior_policy(self) -> np.ndarray:
        """``p(a_t | s_t, O_{t:T-1}) = beta_t(s,a) / beta_t(s)``, shape [T, S, A]."""
        return np.exp(self.log_beta_sa - self.log_beta_s[..., None])

    @property
    def posterior_state_marginals(self) -> np.ndarray:
        """``p(s_t | O_{0:T-1})`` proportional to ``alpha_t(s) beta_t(s)``, shape [T, S]."""
        log_joint = self.log_alpha + self.log_beta_s
        return np.exp(log_joint - logsumexp(log_joint, axis=1, keepdims=True))

    @property
    def log_evidence(self) -> float:
        """``log p(O_{0:T-1})`` (up to the dropped ``-T log A``)."""
        return float(logsumexp(self.log_alpha[0] + self.log_beta_s[0]))


def backward_messages(mdp: TabularMDP, reward) -> tuple[np.ndarray, np.ndarray]:
    """``log beta_t(s, a)`` [T, S, A] and ``log beta_t(s)`` [T, S] for ``t = 0..T-1``."""
    check_mdp(mdp)
    reward = check_reward(mdp, reward)
    T, S, A = mdp.horizon, mdp.n_states, mdp.n_actions
    log_beta_sa = np.empty((T, S, A))
    log_beta_s = np.empty((T, S))
    log_beta_next = np.zeros(S)  # beta_T = 1
    for t in reversed(range(T)):
        log_beta_sa[t] = reward + mdp.log_expected_exp(log_beta_next)
        log_beta_s[t] = logsumexp(log_beta_sa[t], axis=1)
        log_beta_next = log_beta_s[t]
    return log_beta_sa, log_beta_s


def forward_messages(mdp: TabularMDP, reward) -> np.ndarray:
    """``log alpha_t(s)`` [T, S]: ``alpha_0 = p_0``, ``alpha_{t+1} = sum alpha_t exp(r) P``."""
    check_mdp(mdp)
    reward = check_reward(mdp, reward)
    T, S = mdp.horizon, mdp.n_states
    log_alpha = np.empty((T, S))
    with np.errstate(divide="ignore"):
        log_alpha[0] = np.log(mdp.initial)
    for t in range(T - 1):
        log_alpha[t + 1] = mdp.log_push_forward(log_alpha[t][:, None] + reward)
    return log_alpha


def messages(mdp: TabularMDP, reward) -> Messages:
    """Both message passes; see :class:`Messages` for the posteriors they give."""
    log_beta_sa, log_beta_s = backward_messages(mdp, reward)
    return Messages(log_beta_sa, log_beta_s, forward_messages(mdp, reward))


def enumerate_trajectories(mdp: TabularMDP):
    """Every trajectory ``(s_0, a_0, ..., s_{T-1}, a_{T-1})`` with positive probability
    under some policy, with its log-probability under the dynamics and ``p_0``.

    Returns ``states`` int [N, T], ``actions`` int [N, T], ``log_dynamics`` [N]
    (``log p_0(s_0) + sum_t log P(s_{t+1}|s_t,a_t)``). Only for tiny MDPs: N grows
    like ``(S A)^T``; raises ValueError beyond 200,000 trajectories.
    """
    check_mdp(mdp)
    T, S, A = mdp.horizon, mdp.n_states, mdp.n_actions
    check_size(((S * A) ** T,), "enumerate_trajectories(mdp), with (S*A)^T trajectories,", limit=200_000)
    P = mdp.transitions
    start = np.flatnonzero(mdp.initial > 0)
    states = start[:, None]
    log_p = np.log(mdp.initial[start])
    actions = np.zeros((len(start), 0), dtype=np.int64)
    for t in range(T):
        n = len(states)
        states = np.repeat(states, A, axis=0)
        log_p = np.repeat(log_p, A)
        actions = np.column_stack([np.repeat(actions, A, axis=0), np.tile(np.arange(A), n)])
        if t + 1 < T:
            successor = P[states[:, -1], actions[:, -1]]                    # [n*A, S]
            rows, nxt = np.nonzero(successor)
            states = np.column_stack([states[rows], nxt])
            actions = actions[rows]
            log_p = log_p[rows] + np.log(successor[rows, nxt])
    return states.astype(np.int64), actions.astype(np.int64), log_p
