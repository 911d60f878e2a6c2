"""Bad input fails early and names the argument; extreme valid input stays finite.

A fuzz table over the public functions of ``irlbook`` (``irlbook.__all__``) and ``irlbook.core``:
every array argument is fed NaN, inf, complex values and an extra dimension; every count a
negative, fractional and boolean value; every index array an out-of-range, negative and
float index. Each must raise ``ValueError`` (``ArgumentTypeError`` is one) whose message
names the argument. Then regression tests for the fuzz findings, one each.
"""

from __future__ import annotations

import time

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

import irlbook
from irlbook import envs
from irlbook.core import demonstrations as demo_module
from irlbook.core import duality, inference, metrics, shaping, visitation
from irlbook.core.demonstrations import (
    Demonstrations,
    as_demonstrations,
    empirical_feature_counts,
    sample_trajectories,
    subsample,
    trajectory_feature_counts,
)
from irlbook.core.mdp import TabularMDP, random_mdp
from irlbook.core.planning import (
    policy_evaluation,
    soft_value_iteration,
    value_iteration,
)
from irlbook.core.result import as_history
from irlbook.envs.point_mass import point_mass_reward
from irlbook.validation import ArgumentTypeError

S, A, T, F, N = 4, 3, 5, 2, 6
MDP = random_mdp(S, A, T, discount=0.9, seed=0)
RNG = np.random.default_rng(0)
REWARD = RNG.normal(size=(S, A))
POLICY = soft_value_iteration(MDP, REWARD).policy
FEATURES = RNG.normal(size=(S, F))
STATES, ACTIONS = sample_trajectories(MDP, POLICY, N, seed=0)
P = MDP.transitions
R3 = RNG.normal(size=(S, A, S))
POTENTIAL = RNG.normal(size=S)
OBS = RNG.normal(size=(N, T + 1, 2))
CONT_ACTIONS = RNG.normal(size=(N, T, 2))
TINY = random_mdp(2, 2, 2, seed=1)
TINY_FEATURES = np.array([[1.0, 0.0], [0.0, 1.0]])
TABLE = duality.trajectory_table(TINY, TINY_FEATURES)


def _r(s, a, s2):
    return -np.linalg.norm(s2, axis=-1)


#: name -> (function, valid keyword arguments). Each is called with one argument replaced.
CALLS = {
    "TabularMDP": (TabularMDP, dict(transitions=P, initial=MDP.initial, horizon=T, discount=0.9)),
    "TabularMDP.from_sparse": (TabularMDP.from_sparse, dict(
        next_states=np.tile(np.arange(S), (S, A, 1)), probs=P, initial=MDP.initial, horizon=T, discount=0.9)),
    "random_mdp": (random_mdp, dict(n_states=S, n_actions=A, horizon=T, discount=0.9, sparsity=0.5, seed=0)),
    "soft_value_iteration": (soft_value_iteration, dict(mdp=MDP, reward=REWARD, temperature=1.0, causal=True,
                                                        terminal_value=POTENTIAL)),
    "value_iteration": (value_iteration, dict(mdp=MDP, reward=REWARD, terminal_value=POTENTIAL)),
    "policy_evaluation": (policy_evaluation, dict(mdp=MDP, reward=REWARD, policy=POLICY)),
    "state_visitation": (visitation.state_visitation, dict(mdp=MDP, policy=POLICY)),
    "state_action_visitation": (visitation.state_action_visitation, dict(mdp=MDP, policy=POLICY)),
    "expected_feature_counts": (visitation.expected_feature_counts, dict(mdp=MDP, policy=POLICY, features=FEATURES)),
    "discount_weights": (visitation.discount_weights, dict(mdp=MDP)),
    "visitation_feature_counts": (visitation.visitation_feature_counts, dict(
        mdp=MDP, visitation=visitation.state_visitation(MDP, POLICY), policy=POLICY, features=np.ones((S, A, F)))),
    "sample_trajectories": (sample_trajectories, dict(mdp=MDP, policy=POLICY, n=N, seed=0)),
    "empirical_feature_counts": (empirical_feature_counts, dict(features=FEATURES, states=STATES, actions=ACTIONS,
                                                                discount=0.9)),
    "trajectory_feature_counts": (trajectory_feature_counts, dict(features=FEATURES, states=STATES, actions=ACTIONS,
                                                                  discount=0.9)),
    "Demonstrations.tabular": (Demonstrations.tabular, dict(states=STATES, actions=ACTIONS, n_states=S, n_actions=A)),
    "Demonstrations.continuous": (Demonstrations.continuous, dict(observations=OBS, actions=CONT_ACTIONS,
                                                                  discrete=False)),
    "Demonstrations.sample": (Demonstrations.sample, dict(mdp=MDP, policy=POLICY, n=N, seed=0)),
    "as_demonstrations": (as_demonstrations, dict(demos=STATES, actions=ACTIONS)),
    "subsample": (subsample, dict(demos=Demonstrations.tabular(STATES, ACTIONS), n=2, seed=0)),
    "state_occupancy": (lambda demos, n_states: demos.state_occupancy(n_states),
                        dict(demos=Demonstrations.tabular(STATES, ACTIONS), n_states=S)),
    "expected_value": (metrics.expected_value, dict(mdp=MDP, reward=REWARD, policy=POLICY)),
    "expected_value_difference": (metrics.expected_value_difference, dict(mdp=MDP, true_reward=REWARD,
                                                                          policy=POLICY)),
    "canonicalize": (metrics.canonicalize, dict(reward=R3, discount=0.9, state_dist=MDP.initial,
                                                action_dist=np.full(A, 1 / A))),
    "epic_distance": (metrics.epic_distance, dict(reward_a=R3, reward_b=REWARD, n_states=S, n_actions=A,
                                                  discount=0.9, state_dist=MDP.initial)),
    "canonicalize_samples": (metrics.canonicalize_samples, dict(
        reward=_r, states=OBS[:, 0], actions=CONT_ACTIONS[:, 0], next_states=OBS[:, 1],
        coverage_states=OBS[:, 2], coverage_actions=CONT_ACTIONS[:, 1], discount=0.9)),
    "as_transition_reward": (shaping.as_transition_reward, dict(reward=REWARD, n_states=S, n_actions=A)),
    "potential_shaping": (shaping.potential_shaping, dict(potential=POTENTIAL, discount=0.9, n_actions=A)),
    "expected_reward": (shaping.expected_reward, dict(mdp=MDP, transition_reward=R3)),
    "shaped_reward": (shaping.shaped_reward, dict(mdp=MDP, reward=REWARD, potential=POTENTIAL)),
    "backward_messages": (inference.backward_messages, dict(mdp=MDP, reward=REWARD)),
    "forward_messages": (inference.forward_messages, dict(mdp=MDP, reward=REWARD)),
    "messages": (inference.messages, dict(mdp=MDP, reward=REWARD)),
    "trajectory_table": (duality.trajectory_table, dict(mdp=TINY, features=TINY_FEATURES)),
    "solve_max_entropy": (duality.solve_max_entropy, dict(table=TABLE, target=TABLE.features.mean(0), l2=0.5)),
    "maxent_irl": (irlbook.maxent_irl, dict(mdp=MDP, features=FEATURES, demo_states=STATES, demo_actions=ACTIONS,
                                            l2=0.1)),
    "demo_log_likelihood": (irlbook.demo_log_likelihood, dict(mdp=MDP, reward=REWARD, demo_states=STATES,
                                                              demo_actions=ACTIONS)),
    "GridWorld": (envs.GridWorld, dict(size=4, macrocells=2, noise=0.1, horizon=3, discount=0.9, n_rewarding=2,
                                       seed=0)),
    "ObjectWorld": (envs.ObjectWorld, dict(size=4, n_objects=3, n_colours=2, success=0.7, horizon=3,
                                           discount=0.9, seed=0)),
    "ShiftingMaze": (envs.ShiftingMaze, dict(size=5, wall_row=2, goal=(0, 2), reward_scale=1.0, horizon=3,
                                             discount=0.9)),
    "point_mass_reward": (point_mass_reward, dict(positions=OBS[:, 0], goal=(0.5, 0.5))),
    "PointMassEnv": (envs.PointMassEnv, dict(goal=(0.5, 0.5), horizon=3, step_size=0.1, starts=OBS[:2, 0] / 10)),
    "PointMazeEnv": (envs.PointMazeEnv, dict(horizon=3, step_size=0.1, start=(0.0, -0.7), goal=(0.0, 0.7),
                                             start_noise=0.05, wall_half_width=0.1, gap_width=0.5)),
    "grid_successors": (envs.grid_successors, dict(size=3, moves=np.array([(0, 1), (1, 0)]), noise=0.2)),
    "macrocell_features": (envs.macrocell_features, dict(size=4, macrocells=2)),
}

#: Arguments by kind, per function; the message must contain the argument's name.
REAL_ARRAYS = {
    "TabularMDP": ["transitions", "initial"], "TabularMDP.from_sparse": ["probs", "initial"],
    "soft_value_iteration": ["reward", "terminal_value"], "value_iteration": ["reward", "terminal_value"],
    "policy_evaluation": ["reward", "policy"], "state_visitation": ["policy"], "state_action_visitation": ["policy"],
    "expected_feature_counts": ["policy", "features"], "sample_trajectories": ["policy"],
    "visitation_feature_counts": ["visitation", "policy", "features"],
    "empirical_feature_counts": ["features"], "trajectory_feature_counts": ["features"],
    "Demonstrations.continuous": ["observations", "actions"], "Demonstrations.sample": ["policy"],
    "expected_value": ["reward", "policy"], "expected_value_difference": ["true_reward", "policy"],
    "canonicalize": ["reward", "state_dist", "action_dist"], "epic_distance": ["reward_a", "reward_b", "state_dist"],
    "canonicalize_samples": ["states", "actions", "next_states", "coverage_states", "coverage_actions"],
    "as_transition_reward": ["reward"], "potential_shaping": ["potential"],
    "expected_reward": ["transition_reward"], "shaped_reward": ["reward", "potential"],
    "backward_messages": ["reward"], "forward_messages": ["reward"], "messages": ["reward"],
    "trajectory_table": ["features"], "solve_max_entropy": ["target"],
    "maxent_irl": ["features"], "demo_log_likelihood": ["reward"],
    "point_mass_reward": ["positions", "goal"], "PointMassEnv": ["goal", "starts"],
    "PointMazeEnv": ["start", "goal"], "GridWorld": [],
}
REALS = {   # scalars that must be finite reals in some range
    "TabularMDP": ["discount"], "random_mdp": ["discount", "sparsity"], "soft_value_iteration": ["temperature"],
    "empirical_feature_counts": ["discount"], "trajectory_feature_counts": ["discount"],
    "canonicalize": ["discount"], "epic_distance": ["discount"], "canonicalize_samples": ["discount"],
    "potential_shaping": ["discount"], "solve_max_entropy": ["l2"], "maxent_irl": ["l2"],
    "GridWorld": ["noise", "discount"], "ObjectWorld": ["success", "discount"], "ShiftingMaze": ["reward_scale"],
    "PointMassEnv": ["step_size"], "PointMazeEnv": ["step_size", "start_noise", "wall_half_width", "gap_width"],
    "grid_successors": ["noise"],
}
COUNTS = {
    "TabularMDP": ["horizon"], "random_mdp": ["n_states", "n_actions", "horizon"],
    "sample_trajectories": ["n"], "Demonstrations.sample": ["n"], "subsample": ["n"],
    "state_occupancy": ["n_states"], "epic_distance": ["n_states", "n_actions"],
    "as_transition_reward": ["n_states", "n_actions"], "potential_shaping": ["n_actions"],
    "GridWorld": ["size", "macrocells", "horizon", "n_rewarding"], "ObjectWorld": ["size", "n_objects", "horizon"],
    "ShiftingMaze": ["size", "horizon", "wall_row"], "PointMassEnv": ["horizon"], "PointMazeEnv": ["horizon"],
    "grid_successors": ["size"], "macrocell_features": ["size", "macrocells"],
}
SEEDS = {"random_mdp": ["seed"], "sample_trajectories": ["seed"], "Demonstrations.sample": ["seed"],
         "subsample": ["seed"], "GridWorld": ["seed"], "ObjectWorld": ["seed"]}
INDICES = {   # integer index arrays: (argument, its range)
    "TabularMDP.from_sparse": [("next_states", S)],
    "empirical_feature_counts": [("states", S), ("actions", A)],
    "trajectory_feature_counts": [("states", S), ("actions", A)],
    "Demonstrations.tabular": [("states", S), ("actions", A)],
    "as_demonstrations": [("demos", S), ("actions", A)],
    "maxent_irl": [("demo_states", S), ("demo_actions", A)],
    "demo_log_likelihood": [("demo_states", S), ("demo_actions", A)],
    "ShiftingMaze": [("goal", 5)],
}


def poisoned(value, bad):
    array = np.array(value, dtype=np.float64)
    array.reshape(-1)[0] = bad
    return array


def array_cases():
    for fname, names in REAL_ARRAYS.items():
        for name in names:
            value = CALLS[fname][1][name]
            yield fname, name, "nan", poisoned(value, np.nan)
            yield fname, name, "inf", poisoned(value, np.inf)
            yield fname, name, "complex", np.asarray(value, dtype=np.float64) + 1e-3j
            if (fname, name) in (("canonicalize_samples", "actions"), ("canonicalize_samples", "coverage_actions"),
                                 ("point_mass_reward", "positions")):
                pass                         # [N, ...] actions and [..., 2] positions take any extra dimension
            elif name == "features":       # [S, F, 2] would read as valid state-action features [S, A', F]
                yield fname, name, "wrong-ndim", np.ones(F)
            else:
                yield fname, name, "extra-dim", np.stack([np.asarray(value, dtype=np.float64)] * 2, axis=-1)
            yield fname, name, "string", "abc"


def scalar_cases():
    for fname, names in REALS.items():
        for name in names:
            for label, bad in (("nan", np.nan), ("inf", np.inf), ("complex", 1j), ("string", "a half"),
                               ("bool", True), ("negative", -0.5)):
                yield fname, name, label, bad
    for fname, names in COUNTS.items():
        for name in names:
            for label, bad in (("negative", -1), ("fraction", 2.5), ("bool", True), ("string", "3"),
                               ("nan", np.nan)):
                yield fname, name, label, bad
    for fname, names in SEEDS.items():
        for name in names:
            for label, bad in (("negative", -1), ("fraction", 0.5), ("bool", True), ("string", "seed")):
                yield fname, name, label, bad
    for fname, pairs in INDICES.items():
        for name, size in pairs:
            value = np.asarray(CALLS[fname][1][name])
            too_big = value.copy()
            too_big.reshape(-1)[0] = size
            negative = value.copy()
            negative.reshape(-1)[0] = -1
            if fname != "as_demonstrations" and not (fname.endswith("feature_counts") and name == "actions"):
                yield fname, name, "out-of-range", too_big     # (no number of states or actions to check against)
            yield fname, name, "negative", negative
            yield fname, name, "float", value.astype(np.float64) + 0.5


def _skip(fname, name, label):
    """Cases where the value is valid after all."""
    if label == "negative" and name in ("reward_scale",):
        return False
    if label == "negative" and name in ("temperature", "l2", "step_size", "noise", "success", "discount",
                                        "sparsity", "start_noise", "wall_half_width", "gap_width"):
        return False
    return False


CASES = [c for c in list(array_cases()) + list(scalar_cases()) if not _skip(*c[:3])]
@pytest.mark.parametrize("fname,name,label,bad", [pytest.param(*c, id=f"{c[0]}-{c[1]}-{c[2]}") for c in CASES])
def test_bad_input_raises_a_value_error_naming_the_argument(fname, name, label, bad):
    function, kwargs = CALLS[fname]
    with pytest.raises(ValueError) as info:
        function(**{**kwargs, name: bad})
    assert name in str(info.value), f"{fname}({name}={label}): message {str(info.value)!r} does not name {name}"


@pytest.mark.parametrize("fname", sorted(CALLS))
def test_every_fuzzed_call_is_valid_as_given(fname):
    function, kwargs = CALLS[fname]
    function(**kwargs)


def test_the_fuzz_table_covers_the_public_functions():
    public = {name for name in irlbook.__all__ if callable(getattr(irlbook, name))
              and not isinstance(getattr(irlbook, name), type) or name in ("TabularMDP",)}
    covered = {fname.split(".")[0] for fname in CALLS} | {"get_device", "get_profile", "pick"}
    covered |= {"Demonstrations"}
    assert public <= covered, public - covered


def test_not_a_tabular_mdp_is_refused_by_name():
    for function in (soft_value_iteration, value_iteration, visitation.state_visitation, inference.messages):
        with pytest.raises(TypeError, match="mdp"):
            function("not an mdp", REWARD) if function is not visitation.state_visitation \
                else function("not an mdp", POLICY)


# ------------------------------------------------------------------ extreme valid input stays finite
@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 10_000),
       scale=st.sampled_from([1e-300, 1.0, 1e6, 1e100, 1e300]),
       temperature=st.sampled_from([1e-8, 1e-3, 1.0, 1e6]),
       causal=st.booleans())
def test_soft_value_iteration_stays_finite_and_normalised_on_extreme_rewards(seed, scale, temperature, causal):
    mdp = random_mdp(4, 3, 3, discount=1.0 if not causal else 0.9, sparsity=0.5, seed=seed)
    reward = scale * np.random.default_rng(seed).choice([-1.0, 1.0, 0.0], size=(4, 3))
    with np.errstate(over="ignore", under="ignore"):
        result = soft_value_iteration(mdp, reward, temperature, causal=causal)
    assert np.all(np.isfinite(result.q)) and np.all(np.isfinite(result.v))
    assert np.all(np.isfinite(result.policy)) and np.all(result.policy >= 0)
    np.testing.assert_allclose(result.policy.sum(axis=-1), 1.0, atol=1e-12)


@settings(max_examples=40, deadline=None)
@given(value=st.one_of(st.floats(allow_nan=True, allow_infinity=True).filter(lambda x: not float(x).is_integer()),
                       st.booleans(), st.integers(max_value=0)))
def test_counts_refuse_fractions_bools_and_non_positive_values(value):
    with pytest.raises(ValueError, match="n"):
        sample_trajectories(MDP, POLICY, value, seed=0)


# ------------------------------------------------------------------ the fuzz findings, one test each
def test_complex_arrays_raise_instead_of_losing_their_imaginary_part():
    with pytest.raises(ArgumentTypeError, match="transitions"):
        TabularMDP(P + 0j, MDP.initial, T)
    with pytest.raises(ArgumentTypeError, match="transitions"):
        TabularMDP(sp.csr_matrix(P.reshape(S * A, S) + 0j), MDP.initial, T)
    with pytest.raises(ArgumentTypeError, match="reward"):
        soft_value_iteration(MDP, REWARD + 1j)
    with pytest.raises(ArgumentTypeError, match="policy"):
        visitation.state_visitation(MDP, POLICY + 0j)
    with pytest.raises(ArgumentTypeError, match="reward"):
        metrics.canonicalize(R3 + 0j, 0.9)


def test_nan_features_rewards_goals_and_discounts_raise():
    with pytest.raises(ValueError, match="features"):
        empirical_feature_counts(poisoned(FEATURES, np.nan), STATES)
    with pytest.raises(ValueError, match="reward"):
        metrics.canonicalize(poisoned(R3, np.nan), 0.9)
    with pytest.raises(ValueError, match="discount"):
        metrics.canonicalize(R3, np.nan)
    with pytest.raises(ValueError, match="n_rewarding"):
        envs.GridWorld(size=4, macrocells=2, n_rewarding=0)
    with pytest.raises(ValueError, match="goal"):
        point_mass_reward(np.zeros((3, 2)), goal=(np.nan, 0.0))
    with pytest.raises(ValueError, match="positions"):
        point_mass_reward(np.full((3, 2), np.nan))
    with pytest.raises(ValueError, match="reward"):
        shaping.as_transition_reward(poisoned(REWARD, np.nan), S, A)
    with pytest.raises(ValueError, match="potential"):
        shaping.potential_shaping(poisoned(POTENTIAL, np.nan), 0.9, A)
    with pytest.raises(ValueError, match="discount"):
        shaping.potential_shaping(POTENTIAL, np.nan, A)
    with pytest.raises(ValueError, match="transition_reward"):
        shaping.expected_reward(MDP, poisoned(R3, np.nan))
    with pytest.raises(ValueError, match="potential"):
        shaping.shaped_reward(MDP, REWARD, poisoned(POTENTIAL, np.inf))


@pytest.mark.parametrize("discount", [-1, 0, 1.5, np.nan])
def test_empirical_feature_counts_refuses_discounts_outside_zero_one(discount):
    with pytest.raises(ValueError, match="discount"):
        empirical_feature_counts(FEATURES, STATES, discount=discount)


def test_empirical_feature_counts_refuses_negative_state_indices_instead_of_wrapping():
    states = STATES.copy()
    states[0, 0] = -1
    with pytest.raises(ValueError, match="states"):
        empirical_feature_counts(FEATURES, states)
    actions = ACTIONS.copy()
    actions[0, 0] = -1
    with pytest.raises(ValueError, match="actions"):
        empirical_feature_counts(np.ones((S, A, F)), STATES, actions)


def test_seeds_and_sizes_fail_with_a_clear_message_not_from_inside_numpy():
    with pytest.raises(ValueError, match="seed"):
        sample_trajectories(MDP, POLICY, 3, seed=-1)
    with pytest.raises(ValueError, match="size"):
        envs.GridWorld(size=0)
    with pytest.raises(ValueError, match="size"):
        envs.ObjectWorld(size=-3)
    with pytest.raises(ValueError, match="n"):
        sample_trajectories(MDP, POLICY, 2.5)
    with pytest.raises(ValueError, match="n"):
        Demonstrations.sample(MDP, POLICY, 2.5)


@pytest.mark.parametrize("call", [
    lambda: TabularMDP(P, MDP.initial, 10**12),
    lambda: MDP.with_horizon(2**40),
    lambda: random_mdp(4, 3, 1e300),
    lambda: sample_trajectories(MDP, POLICY, 10**12),
    lambda: Demonstrations.tabular(STATES).state_occupancy(10**12),
    lambda: envs.GridWorld(size=2**20, macrocells=1),
    lambda: envs.macrocell_features(2**16, 2**8),
    lambda: envs.ObjectWorld(size=2**16, n_objects=2),
])
def test_huge_counts_raise_a_value_error_before_allocating(call):
    start = time.perf_counter()
    with pytest.raises(ValueError, match="limit"):
        call()
    assert time.perf_counter() - start < 2.0


def test_huge_sizes_raise_before_allocating_or_avoid_the_dense_cube():
    world = envs.GridWorld(size=128, macrocells=16, stay_action=True, horizon=2, n_rewarding=3)
    mdp, reward = world.mdp, world.reward                       # S = 16384, A = 5: S * A * S > 2^30
    start = time.perf_counter()
    with pytest.raises(ValueError, match="transitions"):
        _ = mdp.transitions
    with pytest.raises(ValueError, match="reward"):
        shaping.as_transition_reward(reward, mdp.n_states, mdp.n_actions)
    with pytest.raises(ValueError, match="potential_shaping"):
        shaping.potential_shaping(reward, 0.99, mdp.n_actions)
    with pytest.raises(ValueError, match="epic_distance"):
        metrics.epic_distance(reward, 2 * reward, mdp.n_states, mdp.n_actions, 0.99)
    assert time.perf_counter() - start < 5.0
    # the expected reward of a state or state-action reward needs no [S, A, S] array
    np.testing.assert_array_equal(shaping.expected_reward(mdp, reward), np.repeat(reward[:, None], 5, axis=1))
    shaped = shaping.shaped_reward(mdp, reward, reward)
    assert shaped.shape == (mdp.n_states, 5) and np.all(np.isfinite(shaped))
    with pytest.raises(ValueError, match="size"):
        envs.ObjectWorld(size=40_000, n_objects=10)


def test_expected_reward_of_a_transition_reward_reads_only_the_successors():
    sparse = random_mdp(6, 2, 3, sparsity=0.7, seed=3)
    R = np.random.default_rng(3).normal(size=(6, 2, 6))
    np.testing.assert_allclose(shaping.expected_reward(sparse, R),
                               np.einsum("sat,sat->sa", sparse.transitions, R), rtol=1e-14, atol=1e-14)


def test_float32_rounded_rows_plan_like_their_float64_renormalisation():
    rng = np.random.default_rng(7)
    P64 = rng.random((6, 3, 6)) ** 3
    P64 /= P64.sum(-1, keepdims=True)
    P32 = P64.astype(np.float32)
    assert np.abs(P32.astype(np.float64).sum(-1) - 1).max() > 1e-9          # rows really are off
    renormalised = P32.astype(np.float64) / P32.astype(np.float64).sum(-1, keepdims=True)
    initial = np.full(6, 1 / 6)
    reward = rng.normal(size=(6, 3))
    rounded = soft_value_iteration(TabularMDP(P32, initial, 8), reward).policy
    exact = soft_value_iteration(TabularMDP(renormalised, initial, 8), reward).policy
    np.testing.assert_allclose(rounded, exact, rtol=0, atol=1e-12)


def test_random_mdp_is_reproducible_and_validated():
    a, b = random_mdp(5, 2, 3, seed=4), random_mdp(5, 2, 3, seed=4)
    np.testing.assert_array_equal(a.transitions, b.transitions)
    sparse = random_mdp(8, 2, 3, sparsity=0.9, seed=1)
    assert np.all((sparse.transitions > 0).sum(-1) >= 1)
    with pytest.raises(ValueError, match="random_mdp"):
        random_mdp(2**12, 2**8, 3)


def test_as_history_and_demo_views_name_their_input():
    assert as_history(loss=[1, 2])["loss"].dtype == np.float64
    demos = Demonstrations.tabular(STATES, ACTIONS)
    with pytest.raises(ValueError, match="demos.states"):
        demos.state_occupancy(2)
    with pytest.raises(ValueError, match="n_actions"):
        demos.occupancy(S, 0)
    with pytest.raises(ValueError, match="rollouts"):
        Demonstrations.from_rollouts([1, 2])
    with pytest.raises(ValueError, match="terminals"):
        Demonstrations.continuous(OBS, CONT_ACTIONS, terminals=np.full((N, T), 0.5))
    assert demo_module.check_demos(MDP, STATES, ACTIONS, need_actions=True).states is not None


def test_visitation_feature_counts_is_expected_feature_counts_for_the_policy_s_own_visitation():
    features = np.random.default_rng(2).normal(size=(S, A, F))
    D = visitation.state_visitation(MDP, POLICY)
    np.testing.assert_allclose(visitation.visitation_feature_counts(MDP, D, POLICY, features),
                               visitation.expected_feature_counts(MDP, POLICY, features), rtol=1e-14)
    np.testing.assert_allclose(trajectory_feature_counts(FEATURES, STATES, ACTIONS, 0.9).mean(0),
                               empirical_feature_counts(FEATURES, STATES, ACTIONS, 0.9), rtol=1e-14)


def test_as_observations_takes_one_or_a_batch_and_names_the_argument():
    from irlbook.validation import as_observations

    one = as_observations([1, 2, 3], "obs", 3)
    assert one.dtype == np.float32 and one.shape == (3,)
    assert as_observations(np.zeros((5, 3)), "obs", 3).shape == (5, 3)
    for bad in (np.zeros(4), np.zeros((2, 2, 3)), np.float32(1.0)):
        with pytest.raises(ValueError, match=r"obs must have shape \[3\] or \[B, 3\]"):
            as_observations(bad, "obs", 3)
    with pytest.raises(ValueError, match="obs must be finite"):
        as_observations([0.0, np.nan, 1.0], "obs", 3)
