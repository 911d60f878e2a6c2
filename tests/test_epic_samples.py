"""Sample-based EPIC for continuous states (irlbook.core.metrics.epic_distance_samples)."""

import numpy as np
import pytest

from irlbook.core.metrics import canonicalize, canonicalize_samples, epic_distance, epic_distance_samples

GAMMA = 0.9


def _state_reward(s, a, s2):           # a smooth state-only reward r(s') on R^2
    return -np.linalg.norm(s2 - np.array([0.5, 0.5]), axis=-1) + np.sin(3 * s2[:, 0])


def _phi(x):
    return np.cos(2 * x[:, 0]) * x[:, 1] + x[:, 0] ** 2


def _samples(seed, n=300, m=64):
    rng = np.random.default_rng(seed)
    s = rng.uniform(-1, 1, (n, 2))
    a = rng.uniform(-1, 1, (n, 2))
    s2 = np.clip(s + 0.1 * a, -1, 1)
    return s, a, s2, rng.uniform(-1, 1, (m, 2)), rng.uniform(-1, 1, (m, 2))


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("scale", [0.05, 3.0])
def test_zero_for_shaped_and_scaled_state_reward(seed, scale):
    s, a, s2, cs, ca = _samples(seed)
    shaped = lambda s, a, s2: scale * (_state_reward(s, a, s2) + 10 * (GAMMA * _phi(s2) - _phi(s))) + 7.0  # noqa: E731
    assert epic_distance_samples(_state_reward, shaped, s, None, s2, cs, discount=GAMMA) < 1e-6
    assert epic_distance_samples(_state_reward, shaped, s, a, s2, cs, ca, discount=GAMMA) < 1e-6
    # shaping alone changes the raw rewards a lot: their plain correlation is far from 1
    assert np.corrcoef(_state_reward(s, a, s2), shaped(s, a, s2))[0, 1] < 0.9


def test_negation_is_one_and_unrelated_rewards_are_far():
    s, a, s2, cs, _ = _samples(3)
    negated = lambda s, a, s2: -_state_reward(s, a, s2)  # noqa: E731
    assert epic_distance_samples(_state_reward, negated, s, None, s2, cs, discount=GAMMA) == pytest.approx(1.0)
    other = lambda s, a, s2: s2[:, 1] ** 3  # noqa: E731
    assert epic_distance_samples(_state_reward, other, s, None, s2, cs, discount=GAMMA) > 0.3


@pytest.mark.parametrize("seed", [0, 1])
def test_agrees_with_tabular_epic_on_a_discretised_problem(seed):
    """States 0..S-1 as 1-D points: with every state as coverage (paired with every action) and every
    (s, a, s') triple as a transition, the sample-based EPIC is the tabular one with uniform distributions."""
    S, A = 6, 3
    rng = np.random.default_rng(seed)
    Ra, Rb = rng.normal(size=(S, A, S)), rng.normal(size=(S, A, S))
    table = lambda R: (lambda s, a, s2: R[s[:, 0].astype(int), a.astype(int), s2[:, 0].astype(int)])  # noqa: E731
    s, a, s2 = (g.reshape(-1) for g in np.meshgrid(np.arange(S), np.arange(A), np.arange(S), indexing="ij"))
    cov_s, cov_a = (g.reshape(-1) for g in np.meshgrid(np.arange(S), np.arange(A), indexing="ij"))
    states, next_states, cov_states = s[:, None], s2[:, None], cov_s[:, None]
    np.testing.assert_allclose(
        canonicalize_samples(table(Ra), states, a, next_states, cov_states, cov_a, GAMMA),
        canonicalize(Ra, GAMMA)[s, a, s2], atol=1e-12)
    assert epic_distance_samples(table(Ra), table(Rb), states, a, next_states, cov_states, cov_a, GAMMA) == \
        pytest.approx(epic_distance(Ra, Rb, S, A, GAMMA), abs=1e-12)
    # random (not exhaustive) samples estimate it
    idx = rng.integers(0, len(s), 4000)
    cidx = rng.integers(0, len(cov_s), 400)
    estimate = epic_distance_samples(table(Ra), table(Rb), states[idx], a[idx], next_states[idx],
                                     cov_states[cidx], cov_a[cidx], GAMMA)
    assert estimate == pytest.approx(epic_distance(Ra, Rb, S, A, GAMMA), abs=0.03)


def test_bad_input():
    s, a, s2, cs, ca = _samples(0, n=10, m=4)
    with pytest.raises(ValueError, match="discount"):
        epic_distance_samples(_state_reward, _state_reward, s, None, s2, cs, discount=0.0)
    with pytest.raises(ValueError, match="next_states"):
        epic_distance_samples(_state_reward, _state_reward, s, None, s2[:5], cs, discount=GAMMA)
    with pytest.raises(ValueError, match="coverage_actions"):
        epic_distance_samples(_state_reward, _state_reward, s, a, s2, cs, None, discount=GAMMA)
    with pytest.raises(ValueError, match="states"):
        epic_distance_samples(_state_reward, _state_reward, np.full_like(s, np.nan), None, s2, cs, discount=GAMMA)
    with pytest.raises(ValueError, match="reward_b"):
        epic_distance_samples(_state_reward, lambda s, a, s2: np.ones(len(s)), s, None, s2, cs, discount=GAMMA)
