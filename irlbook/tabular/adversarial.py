"""Adversarial IRL on a tabular MDP: GAN-GCL, GAIL and AIRL in one loop (chapter 7).

A discriminator ``D`` tells expert transitions from the generator's; the generator
(a policy) is trained to fool it. The three methods differ only in the form of ``D``
(its logit ``l = log D - log(1 - D)``):

GAN-GCL (Finn, Christiano, Abbeel & Levine 2016), state-action form
    ``D_t(s,a) = exp f(s,a) / (exp f(s,a) + pi_t(a|s))``,   ``l = f(s,a) - log pi_t(a|s)``
GAIL (Ho & Ermon 2016), unconstrained
    ``D(s,a) = sigmoid(d(s,a))``,                           ``l = d(s,a)``
AIRL (Fu, Luo & Levine 2018), on transitions
    ``f_t(s,a,s') = g(s) + gamma h_{t+1}(s') - h_t(s)``,    ``l = f_t(s,a,s') - log pi_t(a|s)``

In a finite-horizon MDP the soft value depends on time, so AIRL's shaping potential
carries a time index, ``h_t`` for ``t = 0..T-1`` and ``h_T = 0`` (chapter 7).

Everything is exact: expectations over the expert's and the generator's transition
occupancies ``rho(t, s, a, s')`` (the ``T-1`` transitions of a ``T``-state trajectory,
each time step weighted equally, total mass 1) replace sampled minibatches, and the
generator is computed by soft value iteration (or, for GAIL, exact mirror-descent steps),
not sampled. The discriminator loss is
the binary cross-entropy

    L = - sum_x rho_E(x) log D(x) - sum_x rho_pi(x) log(1 - D(x)),   x = (t, s, a, s'),

whose minimiser over an unconstrained ``D`` is ``D* = rho_E / (rho_E + rho_pi)``.

Transitions are indexed by successor slots: ``next_states[s, a, k]`` [S, A, K] with
probabilities ``probs[s, a, k]`` (see :func:`successor_lists`); an occupancy has shape
[T-1, S, A, K]. Everything is numpy float64: the discriminator's gradient is written
out (and checked against torch autograd in the tests), trained by Adam; the trajectory-level
GAN-GCL loss (:func:`trajectory_discriminator_loss`) is torch, for autograd checks.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy.special import expit

from ..core.mdp import TabularMDP
from ..core.mdp import check_mdp
from ..core.planning import soft_value_iteration
from ..core.visitation import state_visitation
from ..validation import check_policy, check_temperature

METHODS = ("gan_gcl", "gail", "airl")

# ---------------------------------------------------------------------------- transitions
def successor_lists(mdp: TabularMDP):
    """Padded successor lists of the dynamics.

    Returns ``next_states`` int [S, A, K] and ``probs`` [S, A, K] with
    ``probs[s, a, k] = P(next_states[s, a, k] | s, a)``; ``K`` is the largest number of
    successors of any ``(s, a)``, unused slots have probability 0 (and state 0).
    Deterministic dynamics give ``K = 1``.
    """
    check_mdp(mdp)
    csr = mdp.as_csr()
    counts = np.diff(csr.indptr)
    K = int(counts.max())
    rows = np.repeat(np.arange(csr.shape[0]), counts)
    slot = np.arange(csr.nnz) - np.repeat(csr.indptr[:-1], counts)
    next_states = np.zeros((csr.shape[0], K), dtype=np.int64)
    probs = np.zeros((csr.shape[0], K))
    next_states[rows, slot] = csr.indices
    probs[rows, slot] = csr.data
    shape = (mdp.n_states, mdp.n_actions, K)
    return next_states.reshape(shape), probs.reshape(shape)


def policy_occupancy(mdp: TabularMDP, policy) -> np.ndarray:
    """Exact transition occupancy of ``policy`` [T, S, A] (or [S, A]).

    ``rho(t, s, a, k) = D_t(s) pi_t(a|s) P_k(s, a) / (T - 1)`` for ``t = 0..T-2``,
    shape [T-1, S, A, K]; it sums to 1. Needs ``T >= 2``.
    """
    policy = check_policy(mdp, policy)
    if mdp.horizon < 2:
        raise ValueError(f"mdp.horizon must be >= 2 to have transitions, got {mdp.horizon}")
    _, probs = successor_lists(mdp)
    D = state_visitation(mdp, policy)[:-1]                                  # [T-1, S]
    rho = D[:, :, None, None] * policy[:-1, :, :, None] * probs[None]        # [T-1, S, A, K]
    return rho / (mdp.horizon - 1)


def demo_occupancy(mdp: TabularMDP, demo_states, demo_actions) -> np.ndarray:
    """Empirical transition occupancy of demonstrations, shape [T-1, S, A, K], sums to 1.

    demo_states, demo_actions : int [N, T]; transition ``t`` is
    ``(s_t, a_t, s_{t+1})``. Raises ValueError for an empty demonstration set, wrong
    shapes, out-of-range indices or a transition the dynamics forbid.
    """
    check_mdp(mdp)
    states = np.asarray(demo_states)
    actions = np.asarray(demo_actions)
    if states.ndim != 2 or states.shape[0] == 0:
        raise ValueError(f"demo_states must be a non-empty int array [N, T], got shape {states.shape}")
    if states.shape[1] != mdp.horizon or mdp.horizon < 2:
        raise ValueError(f"demo_states must have shape [N, T={mdp.horizon}] with T >= 2, got {states.shape}")
    if actions.shape != states.shape:
        raise ValueError(f"demo_actions must have the shape of demo_states {states.shape}, got {actions.shape}")
    if not (np.issubdtype(states.dtype, np.integer) and np.issubdtype(actions.dtype, np.integer)):
        raise ValueError("demo_states and demo_actions must hold integer indices")
    if states.min() < 0 or states.max() >= mdp.n_states:
        raise ValueError(f"demo_states must lie in [0, {mdp.n_states})")
    if actions.min() < 0 or actions.max() >= mdp.n_actions:
        raise ValueError(f"demo_actions must lie in [0, {mdp.n_actions})")
    next_states, probs = successor_lists(mdp)
    s, a, s_next = states[:, :-1], actions[:, :-1], states[:, 1:]
    match = (next_states[s, a] == s_next[..., None]) & (probs[s, a] > 0)     # [N, T-1, K]
    if not np.all(match.any(axis=-1)):
        raise ValueError("demo_states contain a transition (s, a, s') with P(s'|s,a) = 0")
    k = match.argmax(axis=-1)
    N, T1 = s.shape
    rho = np.zeros((T1,) + next_states.shape)
    t = np.broadcast_to(np.arange(T1), (N, T1))
    np.add.at(rho, (t, s, a, k), 1.0)
    return rho / rho.sum()


# ------------------------------------------------------------- discriminator forms (pure)
def gail_logit(d):
    """GAIL: ``D = sigmoid(d)``, so the logit is ``d(s,a)`` itself (any shape)."""
    return d


def gan_gcl_logit(f, log_policy):
    """GAN-GCL: ``D = exp f / (exp f + pi)``, logit ``f - log pi`` (broadcasting shapes)."""
    return f - log_policy


def airl_f(g, h, next_states, discount: float):
    """AIRL's ``f_t(s,a,s') = g(s) + gamma h_{t+1}(s') - h_t(s)`` for ``t = 0..T-2``.

    g : [S];  h : [T, S] (``h_0 .. h_{T-1}``);  next_states : int [S, A, K].
    Returns [T-1, S, A, K]. Works on numpy arrays and torch tensors.
    """
    next_h = h[1:][:, next_states]                                           # [T-1, S, A, K]
    return g[None, :, None, None] + discount * next_h - h[:-1][:, :, None, None]


def airl_logit(g, h, next_states, discount: float, log_policy):
    """AIRL's logit ``f_t(s,a,s') - log pi_t(a|s)``, shape [T-1, S, A, K]."""
    return airl_f(g, h, next_states, discount) - log_policy[:-1, :, :, None]


def discriminator(logit):
    """``D = sigmoid(logit) = exp(l) / (1 + exp(l))``, stable for any logit."""
    return expit(np.asarray(logit, dtype=np.float64))


def optimal_discriminator(p_data, p_gen) -> np.ndarray:
    """``D* = p_data / (p_data + p_gen)``, the minimiser of the cross-entropy; nan where both are 0."""
    p_data = np.asarray(p_data, dtype=np.float64)
    p_gen = np.asarray(p_gen, dtype=np.float64)
    if p_data.shape != p_gen.shape:
        raise ValueError(f"p_data and p_gen must have the same shape, got {p_data.shape} and {p_gen.shape}")
    with np.errstate(invalid="ignore", divide="ignore"):
        return p_data / (p_data + p_gen)


def discriminator_loss(logit, expert_weight, policy_weight):
    """Cross-entropy ``-sum w_E log D - sum w_pi log(1 - D)`` with ``D = sigmoid(logit)``.

    ``log D = -softplus(-l)``, ``log(1 - D) = -softplus(l)``: stable for any logit.
    Works on torch tensors (for autograd) and numpy arrays.
    """
    if type(logit).__module__.startswith("torch"):                         # autograd path; torch is optional
        from torch.nn.functional import softplus

        return (expert_weight * softplus(-logit)).sum() + (policy_weight * softplus(logit)).sum()
    logit = np.asarray(logit, dtype=np.float64)
    return float((expert_weight * np.logaddexp(0, -logit)).sum() + (policy_weight * np.logaddexp(0, logit)).sum())


def trajectory_gan_gcl_logit(trajectory_reward, log_z, log_policy_product):
    """Finn et al.'s trajectory discriminator ``D(tau) = (exp R(tau)/Z) / (exp R(tau)/Z + prod_t pi_t)``.

    Both densities are taken relative to the dynamics ``p(s_0) prod_t P(s_{t+1}|s_t,a_t)``, which
    cancel: the logit is ``R(tau) - log Z - sum_t log pi_t(a_t|s_t)`` (numpy or torch, any shapes).
    """
    return trajectory_reward - log_z - log_policy_product


def enumerate_trajectories(mdp: TabularMDP, policy, max_trajectories: int = 100_000):
    """Every trajectory of a small MDP with its probability under ``policy``.

    Returns ``states`` int [M, T], ``actions`` int [M, T], ``log_q`` [M], the log probability
    ``log p(s_0) + sum_t log pi_t(a_t|s_t) + sum_t log P(s_{t+1}|s_t,a_t)`` (``-inf`` for
    impossible ones), and ``log_dynamics`` [M], its part ``log p(s_0) + sum_t log P``.
    ``M = (S A)^T`` must not exceed ``max_trajectories``.
    """
    policy = check_policy(mdp, policy)
    S, A, T = mdp.n_states, mdp.n_actions, mdp.horizon
    if (S * A) ** T > max_trajectories:
        raise ValueError(f"(S*A)^T = {(S * A) ** T} trajectories exceeds max_trajectories={max_trajectories}")
    grid = np.indices((S * A,) * T).reshape(T, -1).T                        # [M, T] flat (s, a)
    states, actions = np.divmod(grid, A)
    P = mdp.transitions
    with np.errstate(divide="ignore"):
        log_dynamics = np.log(mdp.initial[states[:, 0]])
        if T > 1:
            log_dynamics = log_dynamics + np.log(P[states[:, :-1], actions[:, :-1], states[:, 1:]]).sum(axis=1)
        log_q = log_dynamics + np.log(policy[np.arange(T), states, actions]).sum(axis=1)
    return states, actions, log_q, log_dynamics


def trajectory_discriminator_loss(mdp: TabularMDP, reward, log_z, data_policy, generator_policy):
    """Finn et al.'s trajectory-level GAN-GCL loss, exact by enumerating every trajectory.

    reward : torch tensor [S, A] (``r_psi``, may require grad);  log_z : torch scalar
    data_policy, generator_policy : [T, S, A] numpy; ``p`` and ``q`` are their trajectory laws.
    Returns ``(loss, states, actions, p, q, policy_product)``: ``loss`` is the torch scalar
    ``-E_p[log D] - E_q[log(1 - D)]`` with ``D`` from :func:`trajectory_gan_gcl_logit`; then the
    possible trajectories (int [M, T]), their probabilities ``p``, ``q`` [M] and the generator's
    ``prod_t pi_t(a_t|s_t)`` [M] (its density relative to the dynamics).
    """
    import torch

    states, actions, log_p, _ = enumerate_trajectories(mdp, data_policy)
    _, _, log_q, log_dynamics = enumerate_trajectories(mdp, generator_policy)
    keep = np.isfinite(log_q)
    if np.any(np.isfinite(log_p) & ~keep):
        raise ValueError("data_policy puts mass on trajectories that generator_policy never produces")
    states, actions, log_p, log_q = states[keep], actions[keep], log_p[keep], log_q[keep]
    log_policy_product = log_q - log_dynamics[keep]
    device = reward.device
    R = reward[torch.as_tensor(states, device=device), torch.as_tensor(actions, device=device)].sum(1)
    logit = trajectory_gan_gcl_logit(R, log_z, torch.as_tensor(log_policy_product, device=device))
    p, q = np.exp(log_p), np.exp(log_q)
    loss = discriminator_loss(logit, torch.as_tensor(p, device=device), torch.as_tensor(q, device=device))
    return loss, states, actions, p, q, np.exp(log_policy_product)


# ----------------------------------------------------------------------------- generator
def _check_time_reward(mdp: TabularMDP, reward) -> np.ndarray:
    reward = np.asarray(reward, dtype=np.float64)
    shape = (mdp.horizon, mdp.n_states, mdp.n_actions)
    if reward.shape != shape:
        raise ValueError(f"reward must have shape [T, S, A] = {shape}, got {reward.shape}")
    if not np.all(np.isfinite(reward)):
        raise ValueError("reward contains NaN or inf")
    return reward


def mirror_step(mdp: TabularMDP, reward, log_policy, temperature: float, step_size: float):
    """One entropy-regularised policy mirror-descent step (tabular natural policy gradient).

    Evaluates the current policy, ``Q_t = r_t + gamma P V_{t+1}``,
    ``V_t = sum_a pi_t (Q_t - tau log pi_t)``, then
    ``pi'_t ∝ pi_t^{1/(1 + eta tau)} exp(eta Q_t / (1 + eta tau))``.
    ``tau = 0`` is the unregularised natural policy gradient; ``eta -> inf`` with
    ``tau > 0`` is soft policy iteration. reward, log_policy : [T, S, A].
    """
    reward = _check_time_reward(mdp, reward)
    T, S = mdp.horizon, mdp.n_states
    tau, eta = float(temperature), float(step_size)
    if not (np.isfinite(tau) and tau >= 0):
        raise ValueError(f"temperature must be a non-negative number, got {temperature}")
    if not (np.isfinite(eta) and eta > 0):
        raise ValueError(f"step_size must be positive, got {step_size}")
    log_policy = np.asarray(log_policy, dtype=np.float64)
    if log_policy.shape != reward.shape:
        raise ValueError(f"log_policy must have shape [T, S, A] = {reward.shape}, got {log_policy.shape}")
    policy = np.exp(log_policy)
    v_next = np.zeros(S)
    q = np.empty_like(log_policy)
    for t in reversed(range(T)):
        q[t] = reward[t] + mdp.discount * mdp.expected_next(v_next)
        v_next = (policy[t] * (q[t] - tau * log_policy[t])).sum(axis=1)
    logits = (log_policy + eta * q) / (1.0 + eta * tau)
    logits -= logits.max(axis=2, keepdims=True)
    return logits - np.log(np.exp(logits).sum(axis=2, keepdims=True))


# -------------------------------------------------------------------------------- result
@dataclass
class AdversarialResult:
    """Outcome of :func:`adversarial_irl`.

    method : "gan_gcl" | "gail" | "airl"
    reward : the learned reward — AIRL ``g`` [S]; GAN-GCL ``f`` [S, A]; GAIL the
             discriminator's logit ``d`` [S, A] (its only candidate for a reward)
    params : every discriminator table as numpy (AIRL also ``h`` [T, S])
    policy : [T, S, A] the final generator
    history : per iteration ``loss``, ``expert_D`` and ``policy_D`` (mean D on each
              occupancy) and ``occupancy_tv`` (total variation between them)
    """

    method: str
    reward: np.ndarray
    params: dict
    policy: np.ndarray
    history: dict = field(default_factory=dict)


# ------------------------------------------------------------------------------ the loop
def logit_gradient(logit, expert_weight, policy_weight) -> np.ndarray:
    """``dL/dl = D (w_E + w_pi) - w_E`` for the cross-entropy ``L`` of :func:`discriminator_loss`."""
    return discriminator(logit) * (expert_weight + policy_weight) - expert_weight


def discriminator_gradients(method: str, params: dict, grad_logit, next_states, discount: float) -> dict:
    """Chain rule from ``dL/dl`` [T-1, S, A, K] to the discriminator's tables.

    AIRL: ``l = g(s) + gamma h_{t+1}(s') - h_t(s) - log pi``, so ``dL/dg(s) = sum_{t,a,k} G``,
    ``dL/dh_t(s) = -sum_{a,k} G_t(s,.,.) + gamma sum_{(s_,a,k) -> s} G_{t-1}(s_,a,k)``.
    GAN-GCL and GAIL: ``dL/df(s,a) = sum_{t,k} G`` (the same for ``d``).
    """
    if method != "airl":
        name = "f" if method == "gan_gcl" else "d"
        return {name: grad_logit.sum(axis=(0, 3))}
    T1, S = grad_logit.shape[0], params["g"].shape[0]
    grad_h = np.zeros_like(params["h"])                                     # [T, S]
    grad_h[:-1] -= grad_logit.sum(axis=(2, 3))
    target = np.arange(T1)[:, None] * S + next_states.reshape(1, -1)        # (t, s') flattened, [T-1, S*A*K]
    grad_h[1:] += discount * np.bincount(target.ravel(), weights=grad_logit.ravel(),
                                         minlength=T1 * S).reshape(T1, S)
    return {"g": grad_logit.sum(axis=(0, 2, 3)), "h": grad_h}


def adversarial_irl(mdp: TabularMDP, expert_occupancy, method: str = "airl", n_iter: int = 300,
                    disc_steps: int = 5, lr: float = 0.05, generator_step: float | None = None,
                    entropy: float = 1.0, lr_final: float | None = None) -> AdversarialResult:
    """The adversarial game, exact on a tabular MDP.

    Parameters
    ----------
    mdp : TabularMDP with ``T >= 2``
    expert_occupancy : [T-1, S, A, K]  from :func:`demo_occupancy` or :func:`policy_occupancy`
    method : "gan_gcl", "gail" or "airl"
    n_iter : generator updates;  disc_steps : Adam steps on the discriminator per update
    lr : Adam learning rate of the discriminator; ``lr_final`` : if given, the rate decays
        geometrically from ``lr`` to ``lr_final`` over the ``n_iter`` updates
    generator_step : ``None`` = exact best response (soft value iteration on the current
        reward, temperature ``entropy``); a number ``eta`` = one :func:`mirror_step`.
        GAN-GCL and AIRL need ``entropy = 1`` (their ``D`` contains the generator's
        ``pi``); GAIL needs a finite step (a best response to a moving ``D`` cycles).
    entropy : the generator's entropy weight ``tau`` (GAIL's ``lambda``)

    The generator's reward: ``f`` (GAN-GCL, AIRL), ``-log(1 - D) = softplus(d)`` (GAIL,
    Ho & Ermon's cost ``log D`` with their labels swapped). The discriminator's gradient is
    exact (:func:`logit_gradient`, :func:`discriminator_gradients`; tests check it against
    autograd) and Adam is written out, so the loop is plain numpy, float64.
    """
    check_mdp(mdp)
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, got {method!r}")
    if mdp.horizon < 2:
        raise ValueError(f"mdp.horizon must be >= 2, got {mdp.horizon}")
    next_states, probs = successor_lists(mdp)
    T, S, A = mdp.horizon, mdp.n_states, mdp.n_actions
    shape = (T - 1,) + next_states.shape
    try:
        expert_occupancy = np.asarray(expert_occupancy, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError("expert_occupancy must be a numeric array [T-1, S, A, K]") from None
    if expert_occupancy.shape != shape:
        raise ValueError(f"expert_occupancy must have shape [T-1, S, A, K] = {shape}, got {expert_occupancy.shape}")
    if not np.all(np.isfinite(expert_occupancy)) or np.any(expert_occupancy < 0):
        raise ValueError("expert_occupancy must be finite and non-negative")
    if abs(expert_occupancy.sum() - 1.0) > 1e-6:
        raise ValueError(f"expert_occupancy must sum to 1, got {expert_occupancy.sum():.6g}")
    for name, value in (("n_iter", n_iter), ("disc_steps", disc_steps)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
            raise ValueError(f"{name} must be a positive integer, got {value!r}")
    if not (np.isfinite(lr) and lr > 0):
        raise ValueError(f"lr must be positive, got {lr}")
    if lr_final is not None and not (np.isfinite(lr_final) and lr_final > 0):
        raise ValueError(f"lr_final must be positive or None, got {lr_final}")
    entropy = float(entropy)
    if not (np.isfinite(entropy) and entropy >= 0):
        raise ValueError(f"entropy must be a non-negative number, got {entropy}")
    if method != "gail" and entropy != 1.0:
        raise ValueError(f"method={method!r} needs entropy=1 (its discriminator contains pi), got {entropy}")
    if generator_step is None and entropy == 0:
        raise ValueError("generator_step=None (soft best response) needs entropy > 0")
    if generator_step is not None and not (np.isfinite(generator_step) and generator_step > 0):
        raise ValueError(f"generator_step must be positive or None, got {generator_step}")

    if method == "airl":
        params = {"g": np.zeros(S), "h": np.zeros((T, S))}                  # h_0 .. h_{T-1}; h_T = 0
    elif method == "gan_gcl":
        params = {"f": np.zeros((S, A))}
    else:
        params = {"d": np.zeros((S, A))}
    first = {k: np.zeros_like(v) for k, v in params.items()}                # Adam's moment estimates
    second = {k: np.zeros_like(v) for k, v in params.items()}
    beta1, beta2, eps = 0.9, 0.999, 1e-8
    decay = 1.0 if lr_final is None else (float(lr_final) / lr) ** (1.0 / max(n_iter - 1, 1))

    def logit_of(log_policy):
        """Discriminator logit [T-1, S, A, K] at the current parameters and policy."""
        if method == "airl":
            return airl_logit(params["g"], params["h"], next_states, mdp.discount, log_policy)
        if method == "gan_gcl":
            return np.broadcast_to(gan_gcl_logit(params["f"], log_policy[:-1])[..., None], shape)
        return np.broadcast_to(gail_logit(params["d"])[None, :, :, None], shape)

    def generator_reward():
        """The generator's reward r_t(s, a) [T, S, A] (expected over s')."""
        if method == "airl":
            h = np.vstack([params["h"], np.zeros((1, S))])                  # append h_T = 0
            return (airl_f(params["g"], h, next_states, mdp.discount) * probs).sum(-1)
        table = params["f"] if method == "gan_gcl" else np.logaddexp(0.0, params["d"])
        return np.broadcast_to(table, (T, S, A))

    def generator(log_policy):
        if generator_step is None:
            plan = soft_value_iteration(mdp, generator_reward(), entropy)    # best response, r_t varies with t
            return (plan.q - plan.v[..., None]) / entropy                     # log pi_t, finite where pi_t underflows
        return mirror_step(mdp, generator_reward(), log_policy, entropy, generator_step)

    log_policy = np.full((T, S, A), -np.log(A))
    history = {"loss": [], "expert_D": [], "policy_D": [], "occupancy_tv": []}
    step = 0
    for _ in range(n_iter):
        # 1. generator: best response (or one mirror step) to the current reward
        log_policy = generator(log_policy)
        rho_policy = policy_occupancy(mdp, np.exp(log_policy))
        # 2. discriminator: Adam steps on the exact cross-entropy
        for _ in range(disc_steps):
            step += 1
            grad_logit = logit_gradient(logit_of(log_policy), expert_occupancy, rho_policy)
            grads = discriminator_gradients(method, params, grad_logit, next_states, mdp.discount)
            for k, grad in grads.items():
                first[k] = beta1 * first[k] + (1 - beta1) * grad
                second[k] = beta2 * second[k] + (1 - beta2) * grad ** 2
                m_hat, v_hat = first[k] / (1 - beta1 ** step), second[k] / (1 - beta2 ** step)
                params[k] = params[k] - lr * m_hat / (np.sqrt(v_hat) + eps)
        lr *= decay
        logit = logit_of(log_policy)
        D = discriminator(logit)
        history["loss"].append(discriminator_loss(logit, expert_occupancy, rho_policy))
        history["expert_D"].append(float((expert_occupancy * D).sum()))
        history["policy_D"].append(float((rho_policy * D).sum()))
        history["occupancy_tv"].append(0.5 * float(np.abs(expert_occupancy - rho_policy).sum()))

    log_policy = generator(log_policy)             # the final generator answers the final discriminator
    learned = {"airl": "g", "gan_gcl": "f", "gail": "d"}[method]
    return AdversarialResult(method=method, reward=params[learned].copy(),
                             params={k: v.copy() for k, v in params.items()},
                             policy=np.exp(log_policy), history={k: np.asarray(v) for k, v in history.items()})
