"""The claims of chapters 1 and 2, each checked against an independent computation."""

import numpy as np
import pytest
from scipy.special import logsumexp

import irlbook
from irlbook.core.inference import enumerate_trajectories, messages
from irlbook.core.metrics import epic_distance
from irlbook.core.shaping import as_transition_reward, potential_shaping, shaped_reward
from tests.helpers import random_mdp


def _entropy_regularised_return(mdp, reward, policy, temperature):
    """Per start state: E_pi[sum_t gamma^t (r - temperature log pi_t)], by enumerating every trajectory."""
    states, actions, log_q = enumerate_trajectories(mdp)
    steps = np.arange(mdp.horizon)
    discounts = mdp.discount ** steps
    log_pi = np.log(policy[steps, states, actions])                        # [N, T]
    start = states[:, 0]
    p_pi = np.exp(log_q - np.log(mdp.initial[start]) + log_pi.sum(axis=1))
    value = ((reward[states, actions] - temperature * log_pi) * discounts).sum(axis=1)
    return np.bincount(start, weights=p_pi * value, minlength=mdp.n_states)


def _log_evidence(mdp, reward):
    states, actions, log_q = enumerate_trajectories(mdp)
    start = states[:, 0]
    weight = log_q - np.log(mdp.initial[start]) + reward[states, actions].sum(axis=1)
    return np.array([logsumexp(weight[start == s]) for s in range(mdp.n_states)])


@pytest.mark.parametrize("discount, temperature", [(1.0, 1.0), (0.8, 1.0), (0.9, 0.3)])
def test_soft_value_is_the_maximal_entropy_regularised_return(discount, temperature):
    mdp = random_mdp(3, S=3, A=2, T=4, discount=discount)
    reward = np.random.default_rng(3).normal(size=(3, 2))
    plan = irlbook.soft_value_iteration(mdp, reward, temperature=temperature)
    np.testing.assert_allclose(_entropy_regularised_return(mdp, reward, plan.policy, temperature), plan.v[0],
                               atol=1e-10)
    rng = np.random.default_rng(4)
    for _ in range(10):
        other = rng.dirichlet(np.ones(2), size=(4, 3))
        assert np.all(_entropy_regularised_return(mdp, reward, other, temperature) < plan.v[0])


def test_elbo_is_below_the_evidence_and_tight_for_deterministic_dynamics():
    reward = np.random.default_rng(5).normal(size=(3, 2))
    stochastic = random_mdp(5, S=3, A=2, T=4)
    causal = irlbook.soft_value_iteration(stochastic, reward).v[0]
    evidence = _log_evidence(stochastic, reward)
    np.testing.assert_allclose(evidence, irlbook.soft_value_iteration(stochastic, reward, causal=False).v[0],
                               atol=1e-10)
    assert np.all(evidence - causal > 1e-3)
    deterministic = random_mdp(5, S=3, A=2, T=4, deterministic=True)
    np.testing.assert_allclose(_log_evidence(deterministic, reward),
                               irlbook.soft_value_iteration(deterministic, reward).v[0], atol=1e-10)


def test_posterior_tilts_the_start_state():
    deterministic = random_mdp(6, S=3, A=2, T=4, deterministic=True)
    mdp = irlbook.TabularMDP(deterministic.transitions, np.array([0.5, 0.3, 0.2]), horizon=4)
    reward = np.random.default_rng(6).normal(size=(3, 2))
    posterior = messages(mdp, reward).posterior_state_marginals
    visitation = irlbook.state_visitation(mdp, irlbook.soft_value_iteration(mdp, reward).policy)
    assert np.abs(posterior - visitation).max() > 0.02
    single = irlbook.TabularMDP(deterministic.transitions, np.array([0.0, 1.0, 0.0]), horizon=4)
    visitation = irlbook.state_visitation(single, irlbook.soft_value_iteration(single, reward).policy)
    np.testing.assert_allclose(messages(single, reward).posterior_state_marginals, visitation, atol=1e-12)


def test_backups_agree_when_the_next_value_is_constant_on_the_successors():
    mdp = random_mdp(7, S=4, A=3, T=3)                     # stochastic, every state a successor
    row = np.random.default_rng(7).normal(size=3)
    reward = np.tile(row, (4, 1))                         # same actions' rewards in every state
    causal = irlbook.soft_value_iteration(mdp, reward)
    non_causal = irlbook.soft_value_iteration(mdp, reward, causal=False)
    np.testing.assert_allclose(causal.q, non_causal.q, atol=1e-12)   # V_{t+1} constant across states


def test_four_state_exercise_example():
    P = np.zeros((4, 2, 4))
    P[0, 0, 1] = 1.0
    P[0, 1, 2], P[0, 1, 3] = 0.1, 0.9
    P[1:, :, :] = np.eye(4)[1:, None, :]
    mdp = irlbook.TabularMDP(P, np.eye(4)[0], horizon=2)
    reward = np.zeros((4, 2))
    reward[1:] = np.array([0.0, 10.0, -5.0])[:, None] - np.log(2)
    causal = irlbook.soft_value_iteration(mdp, reward).q[0, 0]
    non_causal = irlbook.soft_value_iteration(mdp, reward, causal=False).q[0, 0]
    np.testing.assert_allclose(causal, [0.0, -3.5], atol=1e-12)
    assert non_causal[1] == pytest.approx(np.log(0.1 * np.exp(10) + 0.9 * np.exp(-5)))
    assert causal.argmax() == 0 and non_causal.argmax() == 1


def test_soft_behaviour_identifies_the_reward_up_to_time_dependent_shaping():
    mdp = random_mdp(8, S=5, A=3, T=6, discount=0.9)
    T, S, A, alpha = 6, 5, 3, 0.7
    reward = np.random.default_rng(8).normal(size=(S, A))
    plan = irlbook.soft_value_iteration(mdp, reward, temperature=alpha)
    v_next = np.concatenate([plan.v[1:], np.zeros((1, S))])
    expected_next = np.einsum("sax,tx->tsa", mdp.transitions, v_next)
    recovered = alpha * np.log(plan.policy) + plan.v[..., None] - 0.9 * expected_next
    np.testing.assert_allclose(recovered, np.broadcast_to(reward, (T, S, A)), atol=1e-10)
    potential = np.random.default_rng(9).normal(scale=2.0, size=(T + 1, S))
    potential[-1] = 0.0
    shaped = reward + 0.9 * np.einsum("sax,tx->tsa", mdp.transitions, potential[1:]) - potential[:-1, :, None]
    np.testing.assert_allclose(irlbook.soft_value_iteration(mdp, shaped, temperature=alpha).policy, plan.policy,
                               atol=1e-10)
    potential[-1] = 1.0 + np.arange(S)                     # no payback: the policies change
    shaped = reward + 0.9 * np.einsum("sax,tx->tsa", mdp.transitions, potential[1:]) - potential[:-1, :, None]
    assert np.abs(irlbook.soft_value_iteration(mdp, shaped, temperature=alpha).policy - plan.policy).max() > 1e-3


def test_soft_optimality_sees_scale_and_zero_reward_hard_optimality_does_not():
    mdp = random_mdp(10, S=4, A=3, T=5)
    reward = np.random.default_rng(10).normal(size=(4, 3))
    soft = irlbook.soft_value_iteration(mdp, reward)
    assert np.abs(irlbook.soft_value_iteration(mdp, 3.0 * reward).policy - soft.policy).max() > 1e-2
    np.testing.assert_allclose(irlbook.soft_value_iteration(mdp, 3.0 * reward, temperature=3.0).policy, soft.policy,
                               atol=1e-12)
    np.testing.assert_allclose(irlbook.soft_value_iteration(mdp, np.zeros(4)).policy, 1 / 3, atol=1e-12)
    hard = irlbook.value_iteration(mdp, reward)
    np.testing.assert_allclose(irlbook.value_iteration(mdp, 3.0 * reward).policy, hard.policy, atol=1e-12)


def test_epic_zero_does_not_imply_the_same_finite_horizon_behaviour():
    mdp = random_mdp(11, S=5, A=3, T=5, discount=0.9)
    reward = np.random.default_rng(11).normal(size=(5, 3))
    potential = 4.0 * np.random.default_rng(12).normal(size=5)
    R = as_transition_reward(reward, 5, 3)
    assert epic_distance(R, R + potential_shaping(potential, 0.9, 3), 5, 3, 0.9) < 1e-8
    unpaid = irlbook.soft_value_iteration(mdp, shaped_reward(mdp, reward, potential))
    assert np.abs(unpaid.policy - irlbook.soft_value_iteration(mdp, reward).policy).max() > 1e-2
    # ... and expected shaping through P keeps the behaviour while EPIC sees a difference
    paid = irlbook.soft_value_iteration(mdp, shaped_reward(mdp, reward, potential), terminal_value=-potential)
    np.testing.assert_allclose(paid.policy, irlbook.soft_value_iteration(mdp, reward).policy, atol=1e-10)
    assert epic_distance(reward, shaped_reward(mdp, reward, potential), 5, 3, 0.9) > 0.05
