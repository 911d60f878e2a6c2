"""Importance sampling for the MaxEnt partition function (chapter 6), checked against exact enumeration."""

import numpy as np
import pytest
from scipy.special import logsumexp, softmax

from irlbook import sample_trajectories, soft_value_iteration
from irlbook.core.duality import trajectory_table
from irlbook.tabular import importance as imp
from tests.helpers import random_mdp


def small_problem(seed=0, S=4, A=2, T=3):
    rng = np.random.default_rng(seed)
    mdp = random_mdp(rng, S=S, A=A, T=T, power=2)
    features = rng.normal(size=(S, A, 3))
    weights = rng.normal(size=3)
    return mdp, features, weights


def exact_maxent(mdp, features, weights):
    """log Z and E_p[f(tau)] of p(tau) ~ q(tau) exp(w . f(tau)) by enumerating every trajectory."""
    table = trajectory_table(mdp, features)
    logits = table.log_base + table.features @ weights
    return logsumexp(logits), softmax(logits) @ table.features, table


def test_log_weights_helpers_match_direct_formulas():
    rng = np.random.default_rng(0)
    log_w = rng.normal(size=50) * 3
    w = np.exp(log_w)
    np.testing.assert_allclose(imp.self_normalized_weights(log_w), w / w.sum())
    np.testing.assert_allclose(imp.effective_sample_size(log_w), w.sum() ** 2 / (w**2).sum())
    np.testing.assert_allclose(imp.log_partition_estimate(log_w), np.log(w.mean()))
    values = rng.normal(size=(50, 2))
    np.testing.assert_allclose(imp.self_normalized_expectation(log_w, values), (w / w.sum()) @ values)
    # stable where exp overflows, and invariant to a constant shift of the log-weights
    np.testing.assert_allclose(imp.effective_sample_size(log_w + 1e4), imp.effective_sample_size(log_w))
    np.testing.assert_allclose(imp.partition_gradient(log_w + 1e4, values), imp.partition_gradient(log_w, values))
    assert imp.effective_sample_size(np.zeros(7)) == pytest.approx(7.0)
    assert imp.effective_sample_size(np.array([0.0, -np.inf, -np.inf])) == pytest.approx(1.0)


def test_bad_input_raises():
    with pytest.raises(ValueError, match="log_weights"):
        imp.effective_sample_size(np.array([]))
    with pytest.raises(ValueError, match="log_weights"):
        imp.self_normalized_weights(np.array([0.0, np.nan]))
    with pytest.raises(ValueError, match="log_weights"):
        imp.effective_sample_size(np.full(3, -np.inf))
    with pytest.raises(ValueError, match="log_proposal"):
        imp.importance_log_weights(np.zeros(3), np.array([0.0, -np.inf, 0.0]))
    with pytest.raises(ValueError, match="same shape"):
        imp.importance_log_weights(np.zeros(3), np.zeros(4))
    with pytest.raises(ValueError, match="values"):
        imp.self_normalized_expectation(np.zeros(3), np.zeros((4, 2)))
    with pytest.raises(ValueError, match="log_densities"):
        imp.mixture_log_density(np.zeros(3))
    mdp, _, _ = small_problem()
    with pytest.raises(ValueError, match="states and actions"):
        imp.trajectory_log_policy(mdp, np.full((4, 2), 0.5), np.zeros((2, 5), int), np.zeros((2, 5), int))


def test_quadrature_over_every_trajectory_is_exact():
    """With every trajectory once and the weights taken with the proposal q(tau)^-1, the
    self-normalised sum is the exact expectation: the estimator is a weighted average, nothing more."""
    mdp, features, weights = small_problem(1)
    log_z, expected, table = exact_maxent(mdp, features, weights)
    log_w = imp.importance_log_weights(table.features @ weights, -table.log_base)
    np.testing.assert_allclose(imp.partition_gradient(log_w, table.features), expected, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(logsumexp(log_w), log_z, rtol=1e-12)


def test_exact_expectation_of_the_weights_gives_z_and_the_gradient():
    """E_{q pi}[exp(R)/pi] = Z and E_{q pi}[w f] / E_{q pi}[w] = grad log Z, summed exactly
    over the enumerated trajectories: the dynamics q(tau) cancel from the weight."""
    mdp, features, weights = small_problem(2)
    log_z, expected, table = exact_maxent(mdp, features, weights)
    rng = np.random.default_rng(3)
    policy = rng.random((mdp.horizon, mdp.n_states, mdp.n_actions)) + 0.1
    policy /= policy.sum(-1, keepdims=True)
    log_pi = imp.trajectory_log_policy(mdp, policy, table.states, table.actions)
    sampler_prob = np.exp(table.log_base + log_pi)                 # q(tau) pi(tau): sums to 1
    assert sampler_prob.sum() == pytest.approx(1.0, abs=1e-12)
    w = np.exp(imp.importance_log_weights(table.features @ weights, log_pi))   # exp(R)/pi: no dynamics
    np.testing.assert_allclose(np.log(sampler_prob @ w), log_z, rtol=1e-12)
    np.testing.assert_allclose((sampler_prob * w) @ table.features / (sampler_prob @ w), expected, rtol=1e-10)


def test_sampled_estimate_converges_to_exact_gradient():
    """Monte Carlo: trajectories from a policy that is not the target; the self-normalised
    estimate of grad log Z approaches the exact one as n grows, at the expected 1/sqrt(n) rate."""
    mdp, features, weights = small_problem(4)
    log_z, expected, _ = exact_maxent(mdp, features, weights)
    policy = np.full((mdp.n_states, mdp.n_actions), 1.0 / mdp.n_actions)   # uniform sampler
    errors = {}
    for n in (500, 50_000):
        states, actions = sample_trajectories(mdp, policy, n, seed=5)
        f_tau = imp.trajectory_features(mdp, features, states, actions)
        log_w = imp.importance_log_weights(f_tau @ weights, imp.trajectory_log_policy(mdp, policy, states, actions))
        errors[n] = np.abs(imp.partition_gradient(log_w, f_tau) - expected).max()
        if n == 50_000:
            # also Z itself (the unbiased estimate), to within a few percent
            assert abs(imp.log_partition_estimate(log_w) - log_z) < 0.02
            # standard error of the ratio estimator by the delta method
            w = imp.self_normalized_weights(log_w)
            se = np.sqrt(np.sum(w[:, None] ** 2 * (f_tau - expected) ** 2, axis=0))
            assert np.all(np.abs(imp.partition_gradient(log_w, f_tau) - expected) < 5 * se)
    assert errors[50_000] < 0.2 * errors[500]


def test_sampling_from_the_target_gives_uniform_weights():
    """If the sampler is the soft-optimal (non-causal = trajectory MaxEnt under deterministic
    dynamics) policy of the current reward, every weight is equal and the ESS is n."""
    rng = np.random.default_rng(6)
    S, A, T = 5, 3, 4
    mdp = random_mdp(rng, S=S, A=A, T=T, deterministic=True, initial=0)
    reward = rng.normal(size=(S, A))
    policy = soft_value_iteration(mdp, reward, causal=True).policy
    states, actions = sample_trajectories(mdp, policy, 200, seed=7)
    returns = reward[states, actions].sum(axis=1)
    log_w = imp.importance_log_weights(returns, imp.trajectory_log_policy(mdp, policy, states, actions))
    np.testing.assert_allclose(log_w, log_w[0], atol=1e-10)
    assert imp.effective_sample_size(log_w) == pytest.approx(200.0)


def test_mixture_density_bounds_the_weights():
    rng = np.random.default_rng(8)
    log_q = rng.normal(size=(4, 30)) * 5
    log_mix = imp.mixture_log_density(log_q)
    np.testing.assert_allclose(log_mix, np.log(np.exp(log_q).mean(axis=0)))
    # w_mix = p / mean_k q_k <= K * p / max_k q_k
    assert np.all(log_mix >= log_q.max(axis=0) - np.log(4) - 1e-12)


def test_gaussian_toy_formulas_match_simulation():
    """Closed-form Z, ESS fraction, bias and variance of the toy against simulation."""
    rng = np.random.default_rng(9)
    d, theta = 2, np.array([0.5, -1.0])
    shift = np.array([0.8, 0.0])
    n, reps = 200, 2000
    x = theta + shift + rng.normal(size=(reps, n, d))
    log_q = -0.5 * np.sum((x - theta - shift) ** 2, axis=-1) - 0.5 * d * np.log(2 * np.pi)
    log_w = imp.importance_log_weights(imp.gaussian_toy_log_target(x, theta), log_q)     # [reps, n]
    pred = imp.gaussian_toy_asymptotics(shift, n)
    # unbiased Z: the mean over repetitions of (1/n) sum w
    z_hat = np.exp(imp.log_partition_estimate(log_w) - imp.gaussian_toy_log_partition(theta))
    assert abs(z_hat.mean() - 1.0) < 4 * z_hat.std() / np.sqrt(reps)
    ess_fraction = imp.effective_sample_size(log_w) / n
    assert ess_fraction.mean() == pytest.approx(pred["ess_fraction"], rel=0.05)
    est = np.einsum("rn,rn->r", softmax(log_w, axis=-1), x[..., 0])
    assert est.var() == pytest.approx(pred["variance"], rel=0.15)
    assert abs(est.mean() - theta[0] - pred["bias"]) < 4 * est.std() / np.sqrt(reps)


def test_effective_sample_size_of_huge_log_weights():
    """log-weights of 1e308: doubling them before subtracting the maximum overflowed to NaN."""
    assert imp.effective_sample_size(np.array([1e308, 0.0])) == pytest.approx(1.0)
    assert imp.effective_sample_size(np.array([1e308, 1e308])) == pytest.approx(2.0)
    assert imp.effective_sample_size(np.array([-1e308, 0.0])) == pytest.approx(1.0)


def test_negative_indices_do_not_wrap():
    mdp, features, _ = small_problem()
    T = mdp.horizon
    states, actions = np.zeros((2, T), int), np.zeros((2, T), int)
    policy = np.full((mdp.n_states, mdp.n_actions), 1.0 / mdp.n_actions)
    for bad_states, bad_actions in ((states - 1, actions), (states, actions - 1),
                                    (states + mdp.n_states, actions), (states.astype(float), actions)):
        with pytest.raises(ValueError, match="states|actions"):
            imp.trajectory_log_policy(mdp, policy, bad_states, bad_actions)
        with pytest.raises(ValueError, match="states|actions"):
            imp.trajectory_features(mdp, features, bad_states, bad_actions)
