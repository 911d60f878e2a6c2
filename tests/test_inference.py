"""Backward/forward messages against enumeration and against soft value iteration."""

import numpy as np
import pytest
from scipy.special import logsumexp

import irlbook
from irlbook.core.inference import backward_messages, enumerate_trajectories, forward_messages, messages
from tests.helpers import random_mdp


def test_backward_messages_are_non_causal_soft_values():
    mdp = random_mdp(1, S=5, A=3, T=6)
    reward = np.random.default_rng(1).normal(size=(5, 3))
    log_beta_sa, log_beta_s = backward_messages(mdp, reward)
    plan = irlbook.soft_value_iteration(mdp, reward, causal=False)
    np.testing.assert_allclose(log_beta_sa, plan.q, atol=1e-12)
    np.testing.assert_allclose(log_beta_s, plan.v, atol=1e-12)


def test_posterior_marginals_and_evidence_match_enumeration():
    mdp = random_mdp(2, S=3, A=2, T=4)
    reward = np.random.default_rng(2).normal(size=(3, 2))
    m = messages(mdp, reward)
    states, actions, log_dynamics = enumerate_trajectories(mdp)
    log_weight = log_dynamics + reward[states, actions].sum(axis=1)
    assert m.log_evidence == pytest.approx(logsumexp(log_weight), abs=1e-12)
    posterior = np.exp(log_weight - logsumexp(log_weight))
    for t in range(4):
        np.testing.assert_allclose(np.bincount(states[:, t], weights=posterior, minlength=3),
                                   m.posterior_state_marginals[t], atol=1e-12)


def test_posterior_policy_is_the_soft_q_policy_only_for_deterministic_dynamics():
    world = irlbook.envs.GridWorld(size=5, macrocells=5, noise=0.0, horizon=6, discount=1.0,
                                   initial="corner", seed=0)
    m = messages(world.mdp, 3 * world.reward)
    causal = irlbook.soft_value_iteration(world.mdp, 3 * world.reward)
    np.testing.assert_allclose(m.posterior_policy, causal.policy, atol=1e-12)
    noisy = irlbook.envs.GridWorld(size=5, macrocells=5, noise=0.4, horizon=6, discount=1.0,
                                   initial="corner", seed=0)
    m = messages(noisy.mdp, 3 * noisy.reward)
    causal = irlbook.soft_value_iteration(noisy.mdp, 3 * noisy.reward)
    assert np.abs(m.posterior_policy - causal.policy).max() > 1e-3


def test_forward_messages_with_zero_reward_are_the_uniform_policy_visitation():
    mdp = random_mdp(3, S=4, A=2, T=5)
    log_alpha = forward_messages(mdp, np.zeros(4))
    D = irlbook.state_visitation(mdp, np.full((4, 2), 0.5))
    # alpha_t = A^t * D_t under the uniform policy (the dropped prior 1/A per step).
    np.testing.assert_allclose(np.exp(log_alpha) / 2.0 ** np.arange(5)[:, None], D, atol=1e-12)


def test_messages_stay_finite_with_huge_rewards():
    mdp = random_mdp(4, S=4, A=3, T=50, sparsity=0.5)
    m = messages(mdp, 1e4 * np.random.default_rng(4).normal(size=(4, 3)))
    assert np.all(np.isfinite(m.log_beta_s))
    np.testing.assert_allclose(m.posterior_policy.sum(axis=-1), 1.0)
    np.testing.assert_allclose(m.posterior_state_marginals.sum(axis=1), 1.0)


def test_enumeration_refuses_huge_mdps():
    with pytest.raises(ValueError, match="enumerate"):
        enumerate_trajectories(random_mdp(0, S=10, A=4, T=10))


def test_forward_messages_do_not_underflow_when_weights_differ_by_thousands():
    """State 2 is reached only from state 1, whose forward weight is e^-2000 below state 0's."""
    P = np.zeros((3, 1, 3))
    P[0, 0, 0] = 1.0
    P[1, 0, 2] = 1.0
    P[2, 0, 2] = 1.0
    mdp = irlbook.TabularMDP(P, [0.5, 0.5, 0.0], 3)
    reward = np.array([[0.0], [-2000.0], [0.0]])
    log_alpha = forward_messages(mdp, reward)
    assert np.isfinite(log_alpha[1, 2]) and log_alpha[1, 2] == pytest.approx(np.log(0.5) - 2000.0)
    m = messages(mdp, reward)
    states, actions, log_dynamics = enumerate_trajectories(mdp)
    log_weight = log_dynamics + reward[states, actions].sum(axis=1)
    posterior = np.exp(log_weight - logsumexp(log_weight))
    for t in range(3):
        np.testing.assert_allclose(np.bincount(states[:, t], weights=posterior, minlength=3),
                                   m.posterior_state_marginals[t], atol=1e-12)
