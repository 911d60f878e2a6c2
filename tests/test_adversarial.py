"""Tests for adversarial IRL (chapter 7): discriminator forms, optimal discriminator,
the GAN-GCL / MaxEnt equivalence, AIRL's shaping decomposition and reward recovery."""

import numpy as np
import pytest
import torch

from irlbook import Demonstrations, TabularMDP, expected_feature_counts, soft_value_iteration
from irlbook.book.autograd import discriminator_loss_torch, trajectory_discriminator_loss
from irlbook.book.protocols import TABULAR_SETTINGS
from irlbook.core.metrics import epic_distance
from irlbook.core.result import IRLResult
from irlbook.core.visitation import state_visitation
from irlbook.envs import GridWorld
from irlbook.tabular.adversarial import (
    METHODS,
    AdversarialResult,
    adversarial_irl,
    airl_f,
    airl_logit,
    demo_occupancy,
    discriminator,
    discriminator_gradients,
    discriminator_loss,
    gail_logit,
    gan_gcl_logit,
    logit_gradient,
    mirror_step,
    optimal_discriminator,
    policy_occupancy,
    successor_lists,
)
from tests.helpers import random_mdp

torch.set_num_threads(1)


def gridworld(horizon=12):
    world = GridWorld(size=6, macrocells=3, noise=0.0, stay_action=True, horizon=horizon, discount=0.9,
                      n_rewarding=3, seed=1)
    return world.mdp, 3.0 * world.reward


# ----------------------------------------------------------------------- occupancies
def test_successor_lists_rebuild_the_dynamics():
    mdp = random_mdp(0, S=5, A=3, T=4, discount=0.9, power=2, initial="uniform")
    next_states, probs = successor_lists(mdp)
    P = np.zeros((mdp.n_states, mdp.n_actions, mdp.n_states))
    s, a, _ = np.indices(next_states.shape)
    np.add.at(P, (s, a, next_states), probs)
    np.testing.assert_allclose(P, mdp.transitions, atol=1e-15)
    grid, _ = gridworld()
    assert successor_lists(grid)[0].shape[-1] == 1  # deterministic dynamics: one successor


def test_policy_occupancy_marginals():
    mdp = random_mdp(1, S=5, A=3, T=4, discount=0.9, power=2, initial="uniform")
    policy = soft_value_iteration(mdp, np.random.default_rng(0).normal(size=5)).policy
    rho = policy_occupancy(mdp, policy)
    assert rho.shape == (mdp.horizon - 1, 5, 3, successor_lists(mdp)[0].shape[-1])
    np.testing.assert_allclose(rho.sum(), 1.0)
    D = state_visitation(mdp, policy)
    np.testing.assert_allclose(rho.sum(axis=(2, 3)) * (mdp.horizon - 1), D[:-1], atol=1e-12)


def test_demo_occupancy_converges_to_policy_occupancy():
    mdp = random_mdp(2, S=5, A=3, T=4, discount=0.9, power=2, initial="uniform")
    policy = soft_value_iteration(mdp, np.random.default_rng(1).normal(size=5)).policy
    demos = Demonstrations.sample(mdp, policy, 40_000, seed=3)
    empirical = demo_occupancy(mdp, demos)
    np.testing.assert_allclose(empirical.sum(), 1.0)
    assert np.abs(empirical - policy_occupancy(mdp, policy)).max() < 3e-3


# ------------------------------------------------------------------ discriminator forms
def test_discriminator_forms():
    rng = np.random.default_rng(0)
    f = rng.normal(size=(4, 3))
    policy = rng.dirichlet(np.ones(3), size=4)
    D = discriminator(gan_gcl_logit(f, np.log(policy)))
    np.testing.assert_allclose(D, np.exp(f) / (np.exp(f) + policy), rtol=1e-12)
    d = rng.normal(size=(4, 3))
    np.testing.assert_allclose(discriminator(gail_logit(d)), 1 / (1 + np.exp(-d)), rtol=1e-12)
    # AIRL: f_t(s,a,s') = g(s) + gamma h_{t+1}(s') - h_t(s), checked entry by entry
    mdp = random_mdp(3, S=4, A=2, T=3, discount=0.9, power=2, initial="uniform")
    next_states, _ = successor_lists(mdp)
    g, h = rng.normal(size=4), rng.normal(size=(3, 4))
    f_airl = airl_f(g, h, next_states, 0.9)
    for t, s, a, k in np.ndindex(f_airl.shape):
        assert np.isclose(f_airl[t, s, a, k], g[s] + 0.9 * h[t + 1, next_states[s, a, k]] - h[t, s])
    log_pi = np.log(rng.dirichlet(np.ones(2), size=(3, 4)))
    D_airl = discriminator(airl_logit(g, h, next_states, 0.9, log_pi))
    np.testing.assert_allclose(D_airl, np.exp(f_airl) / (np.exp(f_airl) + np.exp(log_pi[:-1, :, :, None])))
    # saturates to 0 and 1 at extreme logits (no overflow, no NaN), symmetric about a logit of 0
    np.testing.assert_array_equal(discriminator(np.array([-800.0, 0.0, 800.0])), [0.0, 0.5, 1.0])
    np.testing.assert_allclose(discriminator(-d) + discriminator(d), 1.0, rtol=1e-15)


@pytest.mark.parametrize("method", ["airl", "gan_gcl", "gail"])
def test_discriminator_gradients_match_autograd(method):
    mdp = random_mdp(11, S=5, A=3, T=4, discount=0.9, power=2, initial="uniform")
    next_states, _ = successor_lists(mdp)
    rng = np.random.default_rng(4)
    S, A, T, K = 5, 3, 4, next_states.shape[-1]
    log_pi = np.log(rng.dirichlet(np.ones(A), size=(T, S)))
    w_e, w_pi = rng.random((T - 1, S, A, K)), rng.random((T - 1, S, A, K))
    shapes = {"airl": {"g": (S,), "h": (T, S)}, "gan_gcl": {"f": (S, A)}, "gail": {"d": (S, A)}}[method]
    params = {k: rng.normal(size=v) for k, v in shapes.items()}
    tensors = {k: torch.tensor(v, requires_grad=True) for k, v in params.items()}
    if method == "airl":
        logit_t = airl_logit(tensors["g"], tensors["h"], torch.as_tensor(next_states), 0.9, torch.tensor(log_pi))
        logit = airl_logit(params["g"], params["h"], next_states, 0.9, log_pi)
    elif method == "gan_gcl":
        logit_t = gan_gcl_logit(tensors["f"], torch.tensor(log_pi[:-1]))[..., None].expand(T - 1, S, A, K)
        logit = np.broadcast_to(gan_gcl_logit(params["f"], log_pi[:-1])[..., None], (T - 1, S, A, K))
    else:
        logit_t = gail_logit(tensors["d"])[None, :, :, None].expand(T - 1, S, A, K)
        logit = np.broadcast_to(params["d"][None, :, :, None], (T - 1, S, A, K))
    discriminator_loss_torch(logit_t, torch.tensor(w_e), torch.tensor(w_pi)).backward()
    grads = discriminator_gradients(method, params, logit_gradient(logit, w_e, w_pi), next_states, 0.9)
    for k in params:
        np.testing.assert_allclose(grads[k], tensors[k].grad.numpy(), rtol=1e-10, atol=1e-12)


def test_optimal_discriminator_minimises_the_cross_entropy():
    rng = np.random.default_rng(1)
    p_data, p_gen = rng.dirichlet(np.ones(12)), rng.dirichlet(np.ones(12))
    D_star = optimal_discriminator(p_data, p_gen)
    logit = torch.tensor(np.log(D_star / (1 - D_star)), requires_grad=True)
    loss = discriminator_loss_torch(logit, torch.tensor(p_data), torch.tensor(p_gen))
    loss.backward()
    assert abs(loss.item() - discriminator_loss(logit.detach().numpy(), p_data, p_gen)) < 1e-12
    assert np.abs(logit.grad.numpy()).max() < 1e-12  # stationary ...
    best = discriminator_loss(logit.detach().numpy(), p_data, p_gen)
    for _ in range(20):                             # ... and the minimum (the loss is convex in the logit)
        other = logit.detach().numpy() + rng.normal(scale=0.3, size=12)
        assert discriminator_loss(other, p_data, p_gen) > best
    # its value is log 4 - 2 JS(p_data || p_gen) (Goodfellow et al. 2014)
    m = (p_data + p_gen) / 2
    js = 0.5 * (p_data @ np.log(p_data / m) + p_gen @ np.log(p_gen / m))
    np.testing.assert_allclose(best, np.log(4) - 2 * js, rtol=1e-12)


def test_gan_gcl_gradient_is_importance_sampled_maxent():
    """dL/dpsi = -E_p[grad R] + E_mu[(exp R / Z) / mu~ grad R]; dL/dlogZ = 0 iff Z = E_mu[exp R / mu~]."""
    mdp = random_mdp(4, S=3, A=2, T=3, discount=1.0, power=2, initial="uniform")
    rng = np.random.default_rng(5)
    data_policy = rng.dirichlet(np.ones(2), size=(3, 3))
    gen_policy = rng.dirichlet(np.ones(2), size=(3, 3))
    psi = torch.tensor(rng.normal(size=(3, 2)), requires_grad=True)
    log_z = torch.tensor(0.7, dtype=torch.float64, requires_grad=True)
    loss, states, actions, p, q, q_rel = trajectory_discriminator_loss(mdp, psi, log_z, data_policy, gen_policy)
    loss.backward()
    R = psi.detach().numpy()[states, actions].sum(1)
    p_tilde = np.exp(R - log_z.item())
    mu, mu_tilde = (p + q) / 2, (p_tilde + q_rel) / 2   # densities relative to the dynamics
    counts = np.zeros((len(R), 3, 2))                      # grad_psi R(tau) = state-action counts
    np.add.at(counts, (np.arange(len(R))[:, None], states, actions), 1.0)
    expected = -np.einsum("m,msa->sa", p, counts) + np.einsum("m,msa->sa", mu * p_tilde / mu_tilde, counts)
    np.testing.assert_allclose(psi.grad.numpy(), expected, rtol=1e-10, atol=1e-12)
    dlogz = 1.0 - mu @ (p_tilde / mu_tilde)                # = dL/dlog Z
    np.testing.assert_allclose(log_z.grad.item(), dlogz, rtol=1e-10, atol=1e-12)


def test_gan_gcl_with_exact_generator_gives_the_maxent_gradient():
    """Generator = soft-optimal policy of r_psi, Z its partition function: D = 1/2 and
    dL/dpsi = (1/2) (expected counts - expert counts), the MaxEnt gradient of chapter 4."""
    mdp = random_mdp(6, S=3, A=2, T=3, discount=1.0, deterministic=True, initial=0)
    rng = np.random.default_rng(7)
    psi_np = rng.normal(size=(3, 2))
    plan = soft_value_iteration(mdp, psi_np)
    expert_policy = rng.dirichlet(np.ones(2), size=(3, 3))
    psi = torch.tensor(psi_np, requires_grad=True)
    log_z = torch.tensor(plan.v[0, 0], dtype=torch.float64)                   # log Z = V_0(s_0) (one start state)
    loss, states, actions, p, q, q_rel = trajectory_discriminator_loss(mdp, psi, log_z, expert_policy, plan.policy)
    loss.backward()
    R = psi_np[states, actions].sum(1)
    D = discriminator(R - plan.v[0, 0] - np.log(q_rel))
    np.testing.assert_allclose(D, 0.5, atol=1e-12)
    np.testing.assert_allclose(loss.item(), np.log(4), rtol=1e-12)
    features = np.eye(6).reshape(3, 2, 6)                  # one-hot (s, a) features
    mu = expected_feature_counts(mdp, plan.policy, features).reshape(3, 2)
    expert = expected_feature_counts(mdp, expert_policy, features).reshape(3, 2)
    np.testing.assert_allclose(psi.grad.numpy(), 0.5 * (mu - expert), atol=1e-12)


# ------------------------------------------------------------------- shaping and generator
def test_time_varying_reward_matches_stationary_soft_value_iteration():
    mdp = random_mdp(8, S=5, A=3, T=4, discount=0.9, power=2, initial="uniform")
    reward = np.random.default_rng(0).normal(size=(5, 3))
    timed = soft_value_iteration(mdp, np.broadcast_to(reward, (4, 5, 3)))
    plan = soft_value_iteration(mdp, reward)
    np.testing.assert_allclose(timed.policy, plan.policy, atol=1e-12)
    np.testing.assert_allclose(timed.v, plan.v, atol=1e-12)
    # a reward that differs only at t = 0 changes Q_0 by exactly that difference
    bumped = np.broadcast_to(reward, (4, 5, 3)).copy()
    bumped[0] += 1.5
    np.testing.assert_allclose(soft_value_iteration(mdp, bumped).q[0], plan.q[0] + 1.5, atol=1e-12)
    np.testing.assert_allclose(soft_value_iteration(mdp, bumped).q[1:], plan.q[1:], atol=1e-12)


@pytest.mark.parametrize("deterministic", [True, False])
def test_airl_f_is_shaping_of_g(deterministic):
    """Planning on E_{s'}[f_t] gives the policy of g, and V^f_t = V^g_t - h_t (h_T = 0)."""
    mdp = random_mdp(9, S=5, A=3, T=4, discount=0.9, power=2, deterministic=deterministic, initial="uniform")
    rng = np.random.default_rng(2)
    g, h = rng.normal(size=5), rng.normal(size=(4, 5))
    next_states, probs = successor_lists(mdp)
    h_ext = np.vstack([h, np.zeros(5)])                    # h_0 .. h_T with h_T = 0
    f = airl_f(g, h_ext, next_states, mdp.discount)        # [T, S, A, K]
    shaped = soft_value_iteration(mdp, (f * probs).sum(-1))
    plan = soft_value_iteration(mdp, g)
    np.testing.assert_allclose(shaped.policy, plan.policy, atol=1e-12)
    np.testing.assert_allclose(shaped.v, plan.v - h, atol=1e-12)


def test_mirror_step_reaches_soft_value_iteration():
    """With a huge step, T soft-policy-iteration steps are backward induction: the soft-optimal policy."""
    mdp = random_mdp(10, S=5, A=3, T=4, discount=0.9, power=2, initial="uniform")
    reward = np.broadcast_to(np.random.default_rng(3).normal(size=(5, 3)), (4, 5, 3))
    log_policy = np.full((4, 5, 3), -np.log(3))
    for _ in range(mdp.horizon):
        log_policy = mirror_step(mdp, reward, log_policy, temperature=1.0, step_size=1e9)
    np.testing.assert_allclose(np.exp(log_policy), soft_value_iteration(mdp, reward[0]).policy, atol=1e-7)


# ------------------------------------------------------------------------- the games
def test_airl_recovers_state_only_reward_up_to_a_constant():
    mdp, reward = gridworld()
    result = adversarial_irl(mdp, method="airl", expert_policy=soft_value_iteration(mdp, reward).policy,
                             **TABULAR_SETTINGS["airl"])
    assert isinstance(result, IRLResult) and isinstance(result, AdversarialResult)
    assert result.policy.shape == (mdp.horizon, mdp.n_states, mdp.n_actions)
    assert set(result.history) == {"loss", "expert_D", "policy_D", "occupancy_tv"}
    assert all(v.ndim == 1 and v.dtype == np.float64 for v in result.history.values())
    g, h = result.params["g"], result.params["h"]
    assert epic_distance(g, reward, mdp.n_states, mdp.n_actions, mdp.discount) < 1e-3
    assert np.std(g - reward) < 1e-3 * np.ptp(reward)      # g = r + const, same scale
    v = soft_value_iteration(mdp, g).v
    assert max(np.ptp(h[t] - v[t]) for t in range(1, mdp.horizon)) < 1e-2  # h_t = V_t + c_t
    assert result.history["occupancy_tv"][-1] < 1e-3
    assert abs(result.history["loss"][-1] - np.log(4)) < 1e-4   # D = 1/2: the loss is log 4


def test_gail_imitates_but_its_discriminator_goes_to_one_half():
    mdp, reward = gridworld()
    rho_expert = policy_occupancy(mdp, soft_value_iteration(mdp, reward).policy)
    result = adversarial_irl(mdp, method="gail", expert_policy=soft_value_iteration(mdp, reward).policy,
                             **TABULAR_SETTINGS["gail"])
    support = rho_expert.sum(axis=(0, 3)) > 0
    assert result.history["occupancy_tv"][-1] < 0.02       # it imitates ...
    assert np.abs(result.reward[support]).max() < 0.05 * np.ptp(reward)  # ... and D ~ 1/2: logit ~ 0


# ------------------------------------------------------------------------- bad input
def test_bad_inputs_raise_value_error():
    mdp, reward = gridworld(horizon=4)
    expert = soft_value_iteration(mdp, reward).policy
    demos = Demonstrations.sample(mdp, expert, 5, seed=0)
    assert METHODS == ("gail", "gan_gcl", "airl")
    with pytest.raises(ValueError, match="method"):
        adversarial_irl(mdp, demos, "gan")
    with pytest.raises(ValueError, match="exactly one"):
        adversarial_irl(mdp, demos, "airl", expert_policy=expert)
    with pytest.raises(ValueError, match="exactly one"):
        adversarial_irl(mdp, None, "airl")
    with pytest.raises(ValueError, match="expert_policy"):
        adversarial_irl(mdp, method="airl", expert_policy=2 * expert)
    with pytest.raises(ValueError, match="demos"):
        adversarial_irl(mdp, policy_occupancy(mdp, expert), "airl")       # an occupancy is not demonstrations
    for bad in (0, -5, 2.5, True):
        with pytest.raises(ValueError, match="n_iterations"):
            adversarial_irl(mdp, demos, "airl", n_iterations=bad)
    with pytest.raises(ValueError, match="entropy"):
        adversarial_irl(mdp, demos, "airl", entropy=0.5)
    with pytest.raises(ValueError, match="entropy"):
        adversarial_irl(mdp, demos, "gail", entropy=-1.0, generator_step=0.1)
    with pytest.raises(ValueError, match="lr"):
        adversarial_irl(mdp, demos, "airl", lr=0.0)
    with pytest.raises(ValueError, match="generator_step"):
        adversarial_irl(mdp, demos, "gail", entropy=0.0)
    with pytest.raises(ValueError, match="horizon"):
        adversarial_irl(mdp.with_horizon(1), demos, "airl")
    with pytest.raises(ValueError, match="states"):
        demo_occupancy(mdp, Demonstrations.tabular(np.zeros((1, 3), dtype=int), np.zeros((1, 3), dtype=int)))
    with pytest.raises(ValueError, match="P\\(s'\\|s,a\\) = 0"):
        demo_occupancy(mdp, Demonstrations.tabular(np.array([[0, 35, 0, 0]]), np.zeros((1, 4), dtype=int)))
    with pytest.raises(ValueError, match="demos.actions"):
        demo_occupancy(mdp, Demonstrations.tabular(np.zeros((1, 4), dtype=int)))
    with pytest.raises(ValueError, match="p_data"):
        optimal_discriminator(np.ones(3), np.ones(4))
    with pytest.raises(ValueError, match="p_data"):
        optimal_discriminator(np.array([np.nan, 1.0]), np.ones(2))
    with pytest.raises(ValueError, match="p_gen"):
        optimal_discriminator(np.ones(2), np.array([1.0, np.nan]))
    with pytest.raises(ValueError, match="logit"):
        discriminator_loss(np.array([np.nan]), np.ones(1), np.ones(1))
    with pytest.raises(ValueError, match="expert_weight"):
        discriminator_loss(np.zeros(1), -np.ones(1), np.ones(1))
    with pytest.raises(ValueError, match="reward"):
        soft_value_iteration(mdp, np.zeros((4, 36, 4)))
    with pytest.raises(ValueError, match="reward"):
        soft_value_iteration(mdp, np.zeros((3, 36, 5)))
    with pytest.raises(ValueError, match="reward"):
        soft_value_iteration(mdp, np.full((4, 36, 5), np.nan))
    with pytest.raises(ValueError, match="temperature"):
        soft_value_iteration(mdp, np.zeros((4, 36, 5)), temperature=0.0)
    with pytest.raises(ValueError, match="step_size"):
        mirror_step(mdp, np.zeros((4, 36, 5)), np.full((4, 36, 5), -np.log(5)), 0.1, 0.0)


@pytest.mark.gpu
@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA")
def test_trajectory_loss_on_gpu_matches_cpu():
    mdp = random_mdp(12, S=3, A=2, T=3, discount=1.0, power=2, initial="uniform")
    rng = np.random.default_rng(8)
    data_policy, gen_policy = rng.dirichlet(np.ones(2), size=(2, 3, 3))
    psi = rng.normal(size=(3, 2))
    losses, grads = [], []
    for device in ("cpu", "cuda"):
        reward = torch.tensor(psi, device=device, requires_grad=True)
        log_z = torch.tensor(0.3, dtype=torch.float64, device=device)
        loss = trajectory_discriminator_loss(mdp, reward, log_z, data_policy, gen_policy)[0]
        loss.backward()
        losses.append(loss.item())
        grads.append(reward.grad.cpu().numpy())
    np.testing.assert_allclose(losses[0], losses[1], rtol=1e-12)
    np.testing.assert_allclose(grads[0], grads[1], rtol=1e-10, atol=1e-14)


def _airl_solution_space(P, T, discount):
    """Null space of (g, h_0..h_{T-1}) -> f_t(s, a, delta(s, a)), t <= T-2, for deterministic P [S, A, S]:
    the directions in which AIRL's tables can move without changing its optimal discriminator."""
    S, A, _ = P.shape
    nxt = P.argmax(-1)
    rows = []
    for t in range(T - 1):
        for s in range(S):
            for a in range(A):
                row = np.zeros(S + T * S)
                row[s] += 1.0                                    # g(s)
                row[S + (t + 1) * S + nxt[s, a]] += discount     # + gamma h_{t+1}(s')
                row[S + t * S + s] -= 1.0                        # - h_t(s)
                rows.append(row)
    M = np.array(rows)
    _, sing, vt = np.linalg.svd(M)
    rank = int((sing > 1e-9 * sing[0]).sum())
    return vt[rank:]                                             # orthonormal basis of the null space


@pytest.mark.parametrize("decomposable", [True, False])
def test_disentanglement_needs_decomposable_dynamics(decomposable):
    """Theorem (chapter 7): under deterministic decomposable dynamics every (g, h) giving the optimal
    discriminator has g = r + const; two disconnected halves leave a non-constant g free."""
    S, A, T = 6, 3, 5
    rng = np.random.default_rng(13)
    if decomposable:
        nxt = rng.integers(S, size=(S, A))
        nxt[:, 0] = np.arange(S)                                 # a "stay" action
        nxt[:, 1] = (np.arange(S) + 1) % S                       # a cycle through all states
    else:                                                        # states {0,1,2} and {3,4,5} never mix
        half = np.arange(S) // 3
        nxt = 3 * half[:, None] + rng.integers(3, size=(S, A))
        nxt[:, 0] = np.arange(S)
    P = np.eye(S)[nxt]
    mdp = TabularMDP(P, np.full(S, 1 / S), T, 0.9)
    reward = rng.normal(size=S)
    plan = soft_value_iteration(mdp, reward)
    # (g, h) = (r, V) reproduces log pi exactly
    h = np.vstack([plan.v, np.zeros(S)])
    f = airl_f(reward, h, nxt[:, :, None], 0.9)[..., 0]
    np.testing.assert_allclose(f[:T - 1], np.log(plan.policy[:T - 1]), atol=1e-12)
    null = _airl_solution_space(P, T, 0.9)
    g_directions = null[:, :S]
    free_g = g_directions - g_directions.mean(axis=1, keepdims=True)  # remove the constant part
    free_rank = np.linalg.matrix_rank(free_g, tol=1e-9) if len(free_g) else 0
    if decomposable:
        assert free_rank == 0                                    # g is r up to a constant
    else:
        assert free_rank == 1                                    # one shift per half: g is not identified
        direction = free_g[np.abs(free_g).max(axis=1).argmax()]
        np.testing.assert_allclose(direction[:3], direction[0], atol=1e-9)   # constant on each half
        np.testing.assert_allclose(direction[3:], direction[3], atol=1e-9)


def test_gail_rewards_descend_js_or_reverse_kl_at_the_optimal_discriminator():
    """With the reward frozen at D* = rho_E / (rho_E + rho_pi), the policy gradient of E_rho_pi[-log(1 - D*)] is
    -2 grad JS(rho_E, rho_pi), and that of the logit log D* - log(1 - D*) is -grad KL(rho_pi || rho_E) (chapter 7)."""
    from scipy.special import softmax

    from irlbook.tabular.adversarial import optimal_discriminator, policy_occupancy
    from tests.helpers import random_mdp
    mdp = random_mdp(seed=5, S=4, A=3, T=4)
    rng = np.random.default_rng(0)
    def occupancy(th):
        return policy_occupancy(mdp, softmax(th, axis=-1)).sum(axis=(0, 3))

    rho_e = occupancy(rng.normal(size=(4, 4, 3)))
    theta, direction = rng.normal(size=(4, 4, 3)), rng.normal(size=(4, 4, 3))
    d_star = optimal_discriminator(rho_e, occupancy(theta))

    def kl(rho):
        return float((rho * np.log(rho / rho_e)).sum())

    def js(rho):
        return float(0.5 * (rho * np.log(2 * rho / (rho + rho_e))).sum()
                     + 0.5 * (rho_e * np.log(2 * rho_e / (rho + rho_e))).sum())

    def along(fun):
        return (fun(occupancy(theta + 1e-5 * direction)) - fun(occupancy(theta - 1e-5 * direction))) / 2e-5

    logit = np.log(d_star / (1 - d_star))
    softplus = -np.log(1 - d_star)
    assert along(lambda rho: float((rho * logit).sum())) == pytest.approx(-along(kl), rel=1e-6)
    assert along(lambda rho: float((rho * softplus).sum())) == pytest.approx(-2 * along(js), rel=1e-6)
