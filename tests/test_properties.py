"""Hypothesis properties of the planners on random MDPs."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.special import logsumexp

import irlbook
from irlbook.core.shaping import shaped_reward
from tests.helpers import random_mdp

mdps = st.builds(random_mdp, seed=st.integers(0, 10_000), S=st.integers(1, 6), A=st.integers(1, 4),
                 T=st.integers(1, 8), discount=st.sampled_from([0.5, 0.9, 1.0]),
                 sparsity=st.sampled_from([0.0, 0.5, 0.9]))
seeds = st.integers(0, 10_000)
scales = st.sampled_from([1e-3, 1.0, 1e2, 1e4])
temperatures = st.sampled_from([1e-3, 0.1, 1.0, 1e3])


@settings(max_examples=60, deadline=None)
@given(mdps, seeds, scales, temperatures, st.booleans())
def test_policies_and_visitations_are_distributions(mdp, seed, scale, tau, causal):
    reward = scale * np.random.default_rng(seed).normal(size=(mdp.n_states, mdp.n_actions))
    causal = causal or mdp.discount < 1
    plan = irlbook.soft_value_iteration(mdp, reward, temperature=tau, causal=causal)
    assert np.all(np.isfinite(plan.q)) and np.all(plan.policy >= 0)
    np.testing.assert_allclose(plan.policy.sum(axis=-1), 1.0, atol=1e-12)
    D = irlbook.state_visitation(mdp, plan.policy)
    assert np.all(D >= -1e-15)
    np.testing.assert_allclose(D.sum(axis=1), 1.0, atol=1e-12)


@settings(max_examples=60, deadline=None)
@given(mdps, seeds, temperatures)
def test_potential_shaping_never_changes_the_policy(mdp, seed, tau):
    rng = np.random.default_rng(seed)
    reward = rng.normal(size=(mdp.n_states, mdp.n_actions))
    phi = 10 * rng.normal(size=mdp.n_states)
    before = irlbook.soft_value_iteration(mdp, reward, tau)
    after = irlbook.soft_value_iteration(mdp, shaped_reward(mdp, reward, phi), tau, terminal_value=-phi)
    np.testing.assert_allclose(after.policy, before.policy, atol=1e-8)


@settings(max_examples=60, deadline=None)
@given(mdps, seeds, st.floats(0.01, 100.0), st.floats(-50.0, 50.0))
def test_hard_policy_survives_positive_scaling_and_shift(mdp, seed, scale, shift):
    reward = np.round(np.random.default_rng(seed).normal(size=(mdp.n_states, mdp.n_actions)), 2)
    a = irlbook.value_iteration(mdp, reward).policy
    b = irlbook.value_iteration(mdp, scale * reward + shift).policy
    np.testing.assert_allclose(a, b, atol=1e-12)


@settings(max_examples=40, deadline=None)
@given(mdps, seeds)
def test_dense_and_sparse_agree(mdp, seed):
    S, A = mdp.n_states, mdp.n_actions
    P = mdp.transitions
    sparse = irlbook.TabularMDP.from_sparse(np.broadcast_to(np.arange(S), (S, A, S)), P,
                                            mdp.initial, mdp.horizon, mdp.discount)
    reward = np.random.default_rng(seed).normal(size=(S, A))
    a = irlbook.soft_value_iteration(mdp, reward)
    b = irlbook.soft_value_iteration(sparse, reward)
    np.testing.assert_allclose(a.v, b.v, atol=1e-10)
    np.testing.assert_allclose(irlbook.state_visitation(mdp, a.policy),
                               irlbook.state_visitation(sparse, b.policy), atol=1e-12)


@settings(max_examples=60, deadline=None)
@given(mdps, seeds, scales, temperatures, st.booleans(), st.booleans())
def test_plans_satisfy_the_soft_bellman_equations(mdp, seed, scale, tau, causal, with_terminal):
    """Whatever the in-place loops do, their output solves the equations of chapter 1 at every step:
    ``Q_t = r_t + backup(V_{t+1})``, ``V_t = alpha log sum_a exp(Q_t / alpha)``, ``pi_t = exp((Q_t - V_t) / alpha)``,
    and the visitation ``D_{t+1} = sum_{s,a} D_t pi_t P``."""
    S, A, T = mdp.n_states, mdp.n_actions, mdp.horizon
    causal = causal or mdp.discount < 1
    rng = np.random.default_rng(seed)
    reward = scale * rng.normal(size=(T, S, A))
    terminal = scale * rng.normal(size=S) if with_terminal else None
    plan = irlbook.soft_value_iteration(mdp, reward, temperature=tau, causal=causal, terminal_value=terminal)
    P = mdp.transitions
    v_after = np.vstack([plan.v[1:], np.zeros((1, S)) if terminal is None else terminal[None]])   # V_{t+1}
    if causal:
        backup = mdp.discount * np.einsum("sap,tp->tsa", P, v_after)
    else:
        backup = tau * logsumexp(v_after[:, None, None, :] / tau, b=P[None], axis=-1)
    scale_q = 1.0 + np.abs(plan.q).max()
    np.testing.assert_allclose(plan.q, reward + backup, atol=1e-12 * scale_q)
    np.testing.assert_allclose(plan.v, tau * logsumexp(plan.q / tau, axis=-1), atol=1e-12 * scale_q)
    log_policy = (plan.q - plan.v[..., None]) / tau
    np.testing.assert_allclose(plan.policy, np.exp(log_policy), rtol=1e-9 * max(1.0, scale_q / tau), atol=1e-300)
    D = irlbook.state_visitation(mdp, plan.policy)
    np.testing.assert_allclose(D[1:], np.einsum("ts,tsa,sap->tp", D[:-1], plan.policy[:-1], P), atol=1e-13)
