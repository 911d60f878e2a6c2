"""The tabular core against brute-force enumeration, closed forms and bad input."""

import numpy as np
import pytest
import scipy.sparse as sp
from scipy.special import logsumexp

import irlbook
from irlbook.core.inference import enumerate_trajectories
from tests.helpers import random_mdp


# ----------------------------------------------------------------- brute force
def _trajectory_returns(mdp, reward, states, actions):
    gammas = mdp.discount ** np.arange(mdp.horizon)
    return (reward[states, actions] * gammas).sum(axis=1)


def _policy_log_prob(policy, states, actions):
    t = np.arange(states.shape[1])[None, :]
    return np.log(policy[t, states, actions]).sum(axis=1)


@pytest.mark.parametrize("seed", range(3))
def test_causal_soft_value_is_the_best_entropy_regularised_return(seed):
    """V_0 = E_pi[sum_t gamma^t (r - tau log pi)] for the soft-optimal pi, by enumeration,
    and any other policy does worse."""
    mdp = random_mdp(seed, S=3, A=2, T=3, discount=0.9)
    rng = np.random.default_rng(seed)
    reward = rng.normal(size=(3, 2))
    tau = 0.7
    plan = irlbook.soft_value_iteration(mdp, reward, temperature=tau)
    states, actions, log_dynamics = enumerate_trajectories(mdp)

    def objective(policy):
        log_pi = np.log(policy[np.arange(3)[None, :], states, actions])
        gammas = 0.9 ** np.arange(3)
        value = ((reward[states, actions] - tau * log_pi) * gammas).sum(axis=1)
        return np.sum(np.exp(log_dynamics + log_pi.sum(axis=1)) * value)

    assert objective(plan.policy) == pytest.approx(mdp.initial @ plan.v[0], abs=1e-12)
    for _ in range(5):
        other = plan.policy * np.exp(0.3 * rng.normal(size=plan.policy.shape))
        other /= other.sum(axis=-1, keepdims=True)
        assert objective(other) < objective(plan.policy)


def test_non_causal_soft_value_is_the_log_partition_function():
    """exp(V_0(s0)) = sum over trajectories from s0 of P(tau | s0) exp(sum r)."""
    mdp = random_mdp(4, S=3, A=2, T=3)
    reward = np.random.default_rng(4).normal(size=(3, 2))
    plan = irlbook.soft_value_iteration(mdp, reward, causal=False)
    states, actions, log_dynamics = enumerate_trajectories(mdp)
    log_weight = log_dynamics - np.log(mdp.initial[states[:, 0]]) + reward[states, actions].sum(axis=1)
    for s0 in range(3):
        assert logsumexp(log_weight[states[:, 0] == s0]) == pytest.approx(plan.v[0, s0], abs=1e-12)


def test_state_visitation_matches_enumeration():
    mdp = random_mdp(5, S=3, A=2, T=4)
    policy = irlbook.soft_value_iteration(mdp, np.arange(3.0)).policy
    states, actions, log_dynamics = enumerate_trajectories(mdp)
    prob = np.exp(log_dynamics + _policy_log_prob(policy, states, actions))
    assert prob.sum() == pytest.approx(1.0)
    D = irlbook.state_visitation(mdp, policy)
    for t in range(4):
        np.testing.assert_allclose(np.bincount(states[:, t], weights=prob, minlength=3), D[t], atol=1e-12)


def test_hard_value_iteration_is_the_best_deterministic_return():
    mdp = random_mdp(6, S=3, A=2, T=3, discount=0.95)
    reward = np.random.default_rng(6).normal(size=(3, 2))
    plan = irlbook.value_iteration(mdp, reward)
    assert np.all(plan.policy.max(axis=-1) > 0)
    np.testing.assert_allclose(plan.policy.sum(axis=-1), 1.0)
    # The optimal policy's value equals its policy evaluation and beats random policies.
    value = irlbook.policy_evaluation(mdp, reward, plan.policy).v
    np.testing.assert_allclose(value, plan.v, atol=1e-12)
    rng = np.random.default_rng(0)
    for _ in range(5):
        other = rng.dirichlet(np.ones(2), size=(3, 3))
        assert np.all(irlbook.policy_evaluation(mdp, reward, other).v[0] <= plan.v[0] + 1e-12)


def test_value_iteration_ties_are_uniform():
    mdp = random_mdp(7, S=3, A=3, T=2)
    plan = irlbook.value_iteration(mdp, np.zeros(3))
    np.testing.assert_allclose(plan.policy, 1.0 / 3.0)


def test_sample_trajectories_shapes_seed_and_support():
    mdp = random_mdp(8, S=4, A=3, T=5, sparsity=0.6)
    policy = irlbook.soft_value_iteration(mdp, np.ones(4)).policy
    s1, a1 = irlbook.sample_trajectories(mdp, policy, 50, seed=3)
    s2, a2 = irlbook.sample_trajectories(mdp, policy, 50, seed=3)
    assert s1.shape == a1.shape == (50, 5) and s1.dtype.kind == "i"
    np.testing.assert_array_equal(s1, s2)
    np.testing.assert_array_equal(a1, a2)
    P = mdp.transitions
    assert np.all(P[s1[:, :-1], a1[:, :-1], s1[:, 1:]] > 0), "sampled an impossible transition"


# ------------------------------------------------------------ dense and sparse
def test_dense_and_sparse_storage_agree():
    dense = random_mdp(9, S=6, A=2, T=5, sparsity=0.7)
    P = dense.transitions
    K = 6
    next_states = np.broadcast_to(np.arange(6), (6, 2, K))
    sparse = irlbook.TabularMDP.from_sparse(next_states, P, dense.initial, 5)
    assert sparse.is_sparse and not dense.is_sparse
    reward = np.random.default_rng(9).normal(size=(6, 2))
    for causal in (True, False):
        a = irlbook.soft_value_iteration(dense, reward, causal=causal)
        b = irlbook.soft_value_iteration(sparse, reward, causal=causal)
        np.testing.assert_allclose(a.q, b.q, atol=1e-12)
        np.testing.assert_allclose(irlbook.state_visitation(dense, a.policy),
                                   irlbook.state_visitation(sparse, b.policy), atol=1e-12)


def _written_recursion(mdp, reward, tau, causal, terminal):
    """Soft value iteration and visitation as chapter 1 writes them, dense and allocating at every step:
    the reference for the in-place loops of irlbook.core.planning and irlbook.core.visitation."""
    P, (T, S, A) = mdp.transitions, (mdp.horizon, mdp.n_states, mdp.n_actions)
    reward = np.broadcast_to(reward if reward.ndim == 3 else (reward[:, None] if reward.ndim == 1 else reward),
                             (T, S, A))
    q, v, policy = np.empty((T, S, A)), np.empty((T, S)), np.empty((T, S, A))
    v_next = np.zeros(S) if terminal is None else terminal
    for t in reversed(range(T)):
        if causal:
            q[t] = reward[t] + mdp.discount * np.einsum("sap,p->sa", P, v_next)
        else:
            q[t] = reward[t] + tau * logsumexp(np.broadcast_to(v_next / tau, P.shape), b=P, axis=-1)
        v[t] = tau * logsumexp(q[t] / tau, axis=1)
        policy[t] = np.exp((q[t] - v[t][:, None]) / tau)
        v_next = v[t]
    D = np.empty((T, S))
    D[0] = mdp.initial
    for t in range(T - 1):
        D[t + 1] = np.einsum("s,sa,sap->p", D[t], policy[t], P)
    return q, v, policy, D


@pytest.mark.parametrize("storage", ["dense", "sparse"])
@pytest.mark.parametrize("reward_shape", ["S", "SA", "TSA"])
@pytest.mark.parametrize("tau,causal,terminal", [(1.0, True, False), (0.1, True, True), (10.0, True, False),
                                                 (1.0, False, False), (0.3, False, True)])
def test_in_place_loops_match_the_written_recursion(storage, reward_shape, tau, causal, terminal):
    S, A, T = 7, 3, 6
    base = random_mdp(20, S=S, A=A, T=T, discount=0.9 if causal else 1.0, sparsity=0.6)
    mdp = base if storage == "dense" else irlbook.TabularMDP(
        sp.csr_matrix(base.transitions.reshape(S * A, S)), base.initial, T, base.discount)
    assert mdp.is_sparse == (storage == "sparse")
    rng = np.random.default_rng(21)
    reward = rng.normal(size={"S": (S,), "SA": (S, A), "TSA": (T, S, A)}[reward_shape])
    terminal = rng.normal(size=S) if terminal else None
    plan = irlbook.soft_value_iteration(mdp, reward, temperature=tau, causal=causal, terminal_value=terminal)
    D = irlbook.state_visitation(mdp, plan.policy)
    q, v, policy, D_ref = _written_recursion(mdp, reward, tau, causal, terminal)
    np.testing.assert_allclose(plan.q, q, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(plan.v, v, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(plan.policy, policy, rtol=1e-10, atol=1e-14)
    np.testing.assert_allclose(D, D_ref, atol=1e-14)


def test_loops_agree_without_scipys_compiled_product(monkeypatch):
    """The sparse loops call scipy's compiled CSR product into preallocated buffers; where a scipy lacks it they
    fall back to ``matrix @ vector``, with the same results."""
    import irlbook.core.mdp as mdp_module

    world = irlbook.envs.GridWorld(size=6, macrocells=3, noise=0.3, horizon=7, seed=2)
    plan = irlbook.soft_value_iteration(world.mdp, world.reward, temperature=0.5)
    D = irlbook.state_visitation(world.mdp, plan.policy)
    assert mdp_module._csr_matvec is not None, "the compiled product is what the loops use on this scipy"
    monkeypatch.setattr(mdp_module, "_csr_matvec", None)
    fallback = irlbook.soft_value_iteration(world.mdp, world.reward, temperature=0.5)
    np.testing.assert_allclose(fallback.q, plan.q, rtol=1e-14, atol=1e-14)
    np.testing.assert_allclose(fallback.policy, plan.policy, rtol=1e-14, atol=1e-15)
    np.testing.assert_allclose(irlbook.state_visitation(world.mdp, fallback.policy), D, atol=1e-15)


@pytest.mark.parametrize("sparsity", [0.0, 0.99])
def test_plans_are_fresh_contiguous_arrays(sparsity):
    """The loops write into per-call buffers: every result is its own C-contiguous array, and a second call
    leaves the first one's arrays alone."""
    mdp = random_mdp(22, S=80, A=3, T=5, sparsity=sparsity)
    assert mdp.is_sparse == (sparsity > 0)
    first = irlbook.soft_value_iteration(mdp, np.arange(80.0) / 80)
    kept = [first.q.copy(), first.v.copy(), first.policy.copy()]
    second = irlbook.soft_value_iteration(mdp, -np.arange(80.0) / 80)
    D = irlbook.state_visitation(mdp, first.policy)
    for before, after, other in zip(kept, (first.q, first.v, first.policy), (second.q, second.v, second.policy),
                                    strict=True):
        assert after.flags.c_contiguous and not np.shares_memory(after, other)
        np.testing.assert_array_equal(before, after)
    assert D.flags.c_contiguous


@pytest.mark.parametrize("sparsity", [0.0, 0.99])
def test_push_forward_and_expected_next_are_the_matrix_products(sparsity):
    mdp = random_mdp(23, S=80, A=4, T=3, sparsity=sparsity)
    assert mdp.is_sparse == (sparsity > 0)
    P = mdp.transitions
    rng = np.random.default_rng(23)
    weights, values = rng.random((4, 80)).T, rng.normal(size=80)           # weights: a non-contiguous view
    np.testing.assert_allclose(mdp.push_forward(weights), np.einsum("sa,sap->p", weights, P), atol=1e-14)
    np.testing.assert_allclose(mdp.expected_next(values), P @ values, atol=1e-14)


def test_from_sparse_sums_repeated_successors():
    next_states = np.array([[[0, 0], [1, 0]], [[1, 1], [0, 1]]])
    probs = np.full((2, 2, 2), 0.5)
    mdp = irlbook.TabularMDP.from_sparse(next_states, probs, [1.0, 0.0], 2)
    np.testing.assert_allclose(mdp.transitions[0, 0], [1.0, 0.0])
    np.testing.assert_allclose(mdp.transitions[0, 1], [0.5, 0.5])


def test_sparse_matrix_input_is_accepted():
    P = sp.csr_matrix(np.array([[0.0, 1.0], [1.0, 0.0], [0.5, 0.5], [0.0, 1.0]]))
    mdp = irlbook.TabularMDP(P, [0.5, 0.5], 3)
    assert (mdp.n_states, mdp.n_actions) == (2, 2)


# ---------------------------------------------------------------- temperature
def test_small_temperature_approaches_hard_value_iteration():
    mdp = random_mdp(10, S=5, A=3, T=6, discount=0.9)
    reward = np.random.default_rng(10).normal(size=(5, 3))
    hard = irlbook.value_iteration(mdp, reward)
    soft = irlbook.soft_value_iteration(mdp, reward, temperature=1e-3)
    np.testing.assert_allclose(soft.v, hard.v, atol=6 * 1e-3 * np.log(3) + 1e-9)
    assert np.all(np.argmax(soft.policy, axis=-1) == np.argmax(hard.policy, axis=-1))


def test_causal_equals_non_causal_for_deterministic_dynamics():
    world = irlbook.envs.GridWorld(size=6, macrocells=3, noise=0.0, horizon=8, discount=1.0, seed=1)
    causal = irlbook.soft_value_iteration(world.mdp, world.reward)
    non_causal = irlbook.soft_value_iteration(world.mdp, world.reward, causal=False)
    np.testing.assert_allclose(causal.q, non_causal.q, atol=1e-12)


def test_non_causal_is_optimistic_under_stochastic_dynamics():
    mdp = random_mdp(11, S=4, A=2, T=4)
    reward = np.random.default_rng(11).normal(size=(4, 2))
    causal = irlbook.soft_value_iteration(mdp, reward)
    non_causal = irlbook.soft_value_iteration(mdp, reward, causal=False)
    assert np.all(non_causal.v >= causal.v - 1e-12)   # Jensen: log E exp >= E
    assert np.max(non_causal.v - causal.v) > 1e-3


@pytest.mark.parametrize("scale,tau", [(1e4, 1e-3), (-1e4, 1e-3), (1e4, 1e3), (1.0, 1e-3), (1.0, 1e3)])
def test_extreme_valid_inputs_stay_finite(scale, tau):
    mdp = random_mdp(12, S=5, A=3, T=20, sparsity=0.5)
    reward = scale * np.random.default_rng(12).normal(size=(5, 3))
    for causal in (True, False):
        plan = irlbook.soft_value_iteration(mdp, reward, temperature=tau, causal=causal)
        assert np.all(np.isfinite(plan.q)) and np.all(np.isfinite(plan.v))
        np.testing.assert_allclose(plan.policy.sum(axis=-1), 1.0)
        D = irlbook.state_visitation(mdp, plan.policy)
        np.testing.assert_allclose(D.sum(axis=1), 1.0)


def test_long_horizon_stays_finite():
    """A constant reward r over T = 1000 steps: every action ties, so V_t = (T - t)(r + tau log A) exactly,
    the policy is uniform, and the visitation is the initial distribution pushed through the mean dynamics."""
    T, r, tau = 1000, 1e4, 1e-3
    mdp = random_mdp(13, S=4, A=2, T=T, discount=1.0)
    plan = irlbook.soft_value_iteration(mdp, r * np.ones(4), temperature=tau)
    expected_v = (T - np.arange(T))[:, None] * (r + tau * np.log(2)) * np.ones(4)
    np.testing.assert_allclose(plan.v, expected_v, rtol=1e-12)
    np.testing.assert_allclose(plan.policy, 0.5, atol=1e-5)   # Q ~ 1e7: rounding of Q / tau ~ 1e-6
    D = irlbook.state_visitation(mdp, plan.policy)
    mean_dynamics = mdp.transitions.mean(axis=1)
    np.testing.assert_allclose(D[:4], [mdp.initial @ np.linalg.matrix_power(mean_dynamics, t) for t in range(4)],
                               atol=1e-5)
    np.testing.assert_allclose(D.sum(axis=1), 1.0, atol=1e-9)


# --------------------------------------------------------------- bad input
def _good():
    P = np.full((2, 2, 2), 0.5)
    return P, np.array([0.5, 0.5])


@pytest.mark.parametrize("make,match", [
    (lambda P, i: irlbook.TabularMDP(P[:, :, :1], i, 3), "transitions"),
    (lambda P, i: irlbook.TabularMDP(P[0], i, 3), "transitions"),
    (lambda P, i: irlbook.TabularMDP(P * 2, i, 3), "transitions"),
    (lambda P, i: irlbook.TabularMDP(np.where(P > 0, [[[1.5, -0.5]]], 0), i, 3), "transitions"),
    (lambda P, i: irlbook.TabularMDP(np.full((2, 2, 2), np.nan), i, 3), "transitions"),
    (lambda P, i: irlbook.TabularMDP(P, [0.5, 0.6], 3), "initial"),
    (lambda P, i: irlbook.TabularMDP(P, [1.0, 0.0, 0.0], 3), "initial"),
    (lambda P, i: irlbook.TabularMDP(P, [1.5, -0.5], 3), "initial"),
    (lambda P, i: irlbook.TabularMDP(P, i, 0), "horizon"),
    (lambda P, i: irlbook.TabularMDP(P, i, -2), "horizon"),
    (lambda P, i: irlbook.TabularMDP(P, i, 2.5), "horizon"),
    (lambda P, i: irlbook.TabularMDP(P, i, 3, discount=0.0), "discount"),
    (lambda P, i: irlbook.TabularMDP(P, i, 3, discount=1.5), "discount"),
    (lambda P, i: irlbook.TabularMDP(P, i, 3, discount=float("nan")), "discount"),
    (lambda P, i: irlbook.TabularMDP.from_sparse(np.zeros((2, 2, 1), int), np.full((2, 2, 2), 0.5), i, 3), "probs"),
    (lambda P, i: irlbook.TabularMDP.from_sparse(np.full((2, 2, 1), 5), np.ones((2, 2, 1)), i, 3), "next_states"),
    (lambda P, i: irlbook.TabularMDP.from_sparse(np.zeros((2, 2, 1)), np.ones((2, 2, 1)), i, 3), "next_states"),
    (lambda P, i: irlbook.TabularMDP.from_sparse(np.zeros((2, 2, 1), int), np.full((2, 2, 1), 0.9), i, 3), "probs"),
])
def test_bad_mdp_input_raises_naming_the_argument(make, match):
    P, initial = _good()
    with pytest.raises(ValueError, match=match):
        make(P, initial)


@pytest.mark.parametrize("call,match", [
    (lambda m: irlbook.soft_value_iteration(m, np.zeros(3)), "reward"),
    (lambda m: irlbook.soft_value_iteration(m, np.zeros((2, 3))), "reward"),
    (lambda m: irlbook.soft_value_iteration(m, [np.nan, 0.0]), "reward"),
    (lambda m: irlbook.soft_value_iteration(m, [np.inf, 0.0]), "reward"),
    (lambda m: irlbook.soft_value_iteration(m, [0.0, 0.0], temperature=0.0), "temperature"),
    (lambda m: irlbook.soft_value_iteration(m, [0.0, 0.0], temperature=-1.0), "temperature"),
    (lambda m: irlbook.soft_value_iteration(m, [0.0, 0.0], temperature=np.nan), "temperature"),
    (lambda m: irlbook.soft_value_iteration(m, [0.0, 0.0], terminal_value=[1.0]), "terminal_value"),
    (lambda m: irlbook.value_iteration(m, [np.nan, 0.0]), "reward"),
    (lambda m: irlbook.state_visitation(m, np.full((3, 2, 2), 0.5)[:1]), "policy"),
    (lambda m: irlbook.state_visitation(m, np.full((3, 2, 2), 0.6)), "policy"),
    (lambda m: irlbook.state_visitation(m, np.stack([np.eye(2) * 1.5 - 0.25] * 3)), "policy"),
    (lambda m: irlbook.state_visitation(m, np.full((3, 2, 2), np.nan)), "policy"),
    (lambda m: irlbook.sample_trajectories(m, np.full((2, 2), 0.5), 0, seed=0), "n"),
    (lambda m: irlbook.sample_trajectories(m, np.full((2, 2), 0.7), 3, seed=0), "policy"),
    (lambda m: irlbook.soft_value_iteration("mdp", [0.0, 0.0]), "mdp"),
])
def test_bad_planning_input_raises_naming_the_argument(call, match):
    P, initial = _good()
    with pytest.raises(ValueError, match=match):
        call(irlbook.TabularMDP(P, initial, 3))


def test_non_causal_requires_undiscounted():
    P, initial = _good()
    mdp = irlbook.TabularMDP(P, initial, 3, discount=0.9)
    with pytest.raises(ValueError, match="discount"):
        irlbook.soft_value_iteration(mdp, [0.0, 1.0], causal=False)


def test_terminal_value_shifts_the_last_step():
    mdp = random_mdp(14, S=3, A=2, T=2)
    terminal = np.array([1.0, -2.0, 0.5])
    plan = irlbook.soft_value_iteration(mdp, np.zeros(3), terminal_value=terminal)
    np.testing.assert_allclose(plan.q[-1], mdp.transitions @ terminal)
