"""EPIC and EVD."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import irlbook
from irlbook.core.metrics import canonicalize, epic_distance, expected_value_difference
from irlbook.core.shaping import as_transition_reward, potential_shaping, shaped_reward
from tests.helpers import random_mdp

S, A, GAMMA = 5, 3, 0.9
rewards = st.integers(0, 10_000).map(lambda seed: np.random.default_rng(seed).normal(size=(S, A, S)))


@settings(max_examples=30, deadline=None)
@given(rewards, st.integers(0, 10_000), st.floats(0.01, 100.0), st.floats(-10.0, 10.0))
def test_epic_is_zero_under_shaping_scaling_and_shift(R, seed, scale, shift):
    phi = np.random.default_rng(seed).normal(size=S)
    transformed = scale * (R + potential_shaping(phi, GAMMA, A)) + shift
    assert epic_distance(R, transformed, S, A, GAMMA) < 1e-6


@settings(max_examples=30, deadline=None)
@given(rewards, rewards, rewards)
def test_epic_is_a_pseudometric(a, b, c):
    d_ab = epic_distance(a, b, S, A, GAMMA)
    assert 0.0 <= d_ab <= 1.0
    assert d_ab == pytest.approx(epic_distance(b, a, S, A, GAMMA), abs=1e-12)
    assert epic_distance(a, c, S, A, GAMMA) <= d_ab + epic_distance(b, c, S, A, GAMMA) + 1e-9


def test_epic_of_negation_is_one_and_canonicalisation_is_idempotent():
    R = np.random.default_rng(0).normal(size=(S, A, S))
    assert epic_distance(R, -R, S, A, GAMMA) == pytest.approx(1.0)
    C = canonicalize(R, GAMMA)
    np.testing.assert_allclose(canonicalize(C, GAMMA), C, atol=1e-12)


def test_epic_rejects_constant_rewards_and_bad_shapes():
    R = np.random.default_rng(0).normal(size=(S, A))
    with pytest.raises(ValueError, match="reward_b"):
        epic_distance(R, np.full(S, 3.0), S, A, GAMMA)
    with pytest.raises(ValueError, match="reward"):
        epic_distance(R, np.zeros((S + 1,)), S, A, GAMMA)
    with pytest.raises(ValueError, match="state_dist"):
        epic_distance(R, R, S, A, GAMMA, state_dist=np.ones(S))


def test_shaped_reward_with_paid_back_potential_keeps_every_policy():
    mdp = random_mdp(3, S=S, A=A, T=7, discount=GAMMA)
    rng = np.random.default_rng(3)
    reward, phi = rng.normal(size=(S, A)), 5 * rng.normal(size=S)
    shaped = shaped_reward(mdp, reward, phi)
    for tau in (0.1, 1.0, 10.0):
        a = irlbook.soft_value_iteration(mdp, reward, tau)
        b = irlbook.soft_value_iteration(mdp, shaped, tau, terminal_value=-phi)
        np.testing.assert_allclose(b.policy, a.policy, atol=1e-10)
        np.testing.assert_allclose(b.q, a.q - phi[None, :, None], atol=1e-10)
    hard_a = irlbook.value_iteration(mdp, reward)
    hard_b = irlbook.value_iteration(mdp, shaped, terminal_value=-phi)
    np.testing.assert_array_equal(hard_a.policy > 0, hard_b.policy > 0)


def test_as_transition_reward_lifts_shapes():
    """R(s, a, s') = r(s) for a state reward, r(s, a) for a state-action one; a transition reward is kept
    (as a copy), and any other shape is refused."""
    rng = np.random.default_rng(0)
    r_s, r_sa, r_sas = rng.normal(size=S), rng.normal(size=(S, A)), rng.normal(size=(S, A, S))
    for reward, expected in ((r_s, lambda s, a, t: r_s[s]), (r_sa, lambda s, a, t: r_sa[s, a]),
                             (r_sas, lambda s, a, t: r_sas[s, a, t])):
        R = as_transition_reward(reward, S, A)
        assert R.shape == (S, A, S)
        for s, a, t in np.ndindex(S, A, S):
            assert R[s, a, t] == expected(s, a, t)
        R[0, 0, 0] += 1.0                                     # a copy: the input is untouched
        assert R[0, 0, 0] != expected(0, 0, 0)
    with pytest.raises(ValueError, match="reward must have shape"):
        as_transition_reward(np.zeros((A, S)), S, A)


def test_expected_value_difference():
    world = irlbook.envs.GridWorld(size=6, macrocells=3, horizon=10, discount=0.9, seed=0)
    optimal = irlbook.value_iteration(world.mdp, world.reward).policy
    assert expected_value_difference(world.mdp, world.reward, optimal) == pytest.approx(0.0, abs=1e-12)
    worst = irlbook.value_iteration(world.mdp, -world.reward).policy
    assert expected_value_difference(world.mdp, world.reward, worst) > 0.1
