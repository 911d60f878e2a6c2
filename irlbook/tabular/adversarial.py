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
out (and checked against torch autograd in the tests), trained by Adam. (The torch forms used
for the chapter's autograd checks live in :mod:`irlbook.book.autograd`: this package never imports torch.)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import expit

from ..core.demonstrations import Demonstrations, check_demos
from ..core.mdp import TabularMDP, check_mdp
from ..core.planning import soft_value_iteration
from ..core.result import IRLResult, as_history
from ..core.visitation import state_visitation
from ..validation import (
    as_array,
    check_choice,
    check_nonnegative,
    check_policy,
    check_positive,
    check_positive_int,
    check_reward,
)

#: The adversarial IRL methods, in the book's order; the parameter that picks one is ``method``
#: everywhere (``irlbook.deep`` imports this tuple).
METHODS = ("gail", "gan_gcl", "airl")


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


def demo_occupancy(mdp: TabularMDP, demos: Demonstrations) -> np.ndarray:
    """Empirical transition occupancy of demonstrations, shape [T-1, S, A, K], sums to 1.

    demos : :class:`~irlbook.core.demonstrations.Demonstrations` with actions, [N, T]; transition
    ``t`` is ``(s_t, a_t, s_{t+1})``. Raises ValueError for wrong shapes, out-of-range indices,
    ``T < 2`` or a transition the dynamics forbid.
    """
    check_mdp(mdp)
    demos = check_demos(mdp, demos, need_actions=True, arrays=False)
    if mdp.horizon < 2:
        raise ValueError(f"mdp.horizon must be >= 2 to have transitions, got {mdp.horizon}")
    states, actions = demos.states, demos.actions
    next_states, probs = successor_lists(mdp)
    s, a, s_next = states[:, :-1], actions[:, :-1], states[:, 1:]
    match = (next_states[s, a] == s_next[..., None]) & (probs[s, a] > 0)     # [N, T-1, K]
    if not np.all(match.any(axis=-1)):
        raise ValueError("demos.states contain a transition (s, a, s') with P(s'|s,a) = 0")
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
    Returns [T-1, S, A, K]. Pure indexing and arithmetic: any array type with numpy-style indexing.
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
    """``D* = p_data / (p_data + p_gen)``, the minimiser of the cross-entropy; nan where both are 0.

    p_data, p_gen : finite non-negative densities (or masses) of the same shape.
    """
    p_data = as_array(p_data, "p_data")
    p_gen = as_array(p_gen, "p_gen")
    if p_data.shape != p_gen.shape:
        raise ValueError(f"p_data and p_gen must have the same shape, got {p_data.shape} and {p_gen.shape}")
    if np.any(p_data < 0) or np.any(p_gen < 0):
        raise ValueError("p_data and p_gen must be non-negative")
    with np.errstate(invalid="ignore", divide="ignore"):
        return p_data / (p_data + p_gen)


def discriminator_loss(logit, expert_weight, policy_weight) -> float:
    """Cross-entropy ``-sum w_E log D - sum w_pi log(1 - D)`` with ``D = sigmoid(logit)`` (numpy, float64).

    ``log D = -softplus(-l)``, ``log(1 - D) = -softplus(l)``: stable for any finite logit. The weights
    are non-negative masses broadcasting against ``logit`` (occupancies, densities).
    """
    logit = as_array(logit, "logit")
    expert_weight = as_array(expert_weight, "expert_weight")
    policy_weight = as_array(policy_weight, "policy_weight")
    if np.any(expert_weight < 0) or np.any(policy_weight < 0):
        raise ValueError("expert_weight and policy_weight must be non-negative")
    return float((expert_weight * np.logaddexp(0, -logit)).sum() + (policy_weight * np.logaddexp(0, logit)).sum())


def trajectory_gan_gcl_logit(trajectory_reward, log_z, log_policy_product):
    """Finn et al.'s trajectory discriminator ``D(tau) = (exp R(tau)/Z) / (exp R(tau)/Z + prod_t pi_t)``.

    Both densities are taken relative to the dynamics ``p(s_0) prod_t P(s_{t+1}|s_t,a_t)``, which
    cancel: the logit is ``R(tau) - log Z - sum_t log pi_t(a_t|s_t)`` (plain arithmetic, any array type).
    """
    return trajectory_reward - log_z - log_policy_product


# ----------------------------------------------------------------------------- generator
def _check_time_reward(mdp: TabularMDP, reward) -> np.ndarray:
    reward = check_reward(mdp, reward, time_varying=True)
    if reward.ndim != 3:
        raise ValueError(f"reward must have shape [T, S, A] = {(mdp.horizon, mdp.n_states, mdp.n_actions)}, "
                         f"got {reward.shape}")
    return reward


def mirror_step(mdp: TabularMDP, reward, log_policy, temperature: float, step_size: float):
    """One entropy-regularised policy mirror-descent step (tabular natural policy gradient).

    Evaluates the current policy, ``Q_t = r_t + gamma P V_{t+1}``,
    ``V_t = sum_a pi_t (Q_t - alpha log pi_t)``, then
    ``pi'_t ∝ pi_t^{1/(1 + eta alpha)} exp(eta Q_t / (1 + eta alpha))``.
    ``alpha = 0`` is the unregularised natural policy gradient; ``eta -> inf`` with
    ``alpha > 0`` is soft policy iteration. reward, log_policy : [T, S, A].
    """
    reward = _check_time_reward(mdp, reward)
    T, S = mdp.horizon, mdp.n_states
    alpha = check_nonnegative(temperature, "temperature")
    eta = check_positive(step_size, "step_size")
    log_policy = as_array(log_policy, "log_policy", shape=reward.shape, finite=False)
    policy = np.exp(log_policy)
    v_next = np.zeros(S)
    q = np.empty_like(log_policy)
    for t in reversed(range(T)):
        q[t] = reward[t] + mdp.discount * mdp.expected_next(v_next)
        v_next = (policy[t] * (q[t] - alpha * log_policy[t])).sum(axis=1)
    logits = (log_policy + eta * q) / (1.0 + eta * alpha)
    logits -= logits.max(axis=2, keepdims=True)
    return logits - np.log(np.exp(logits).sum(axis=2, keepdims=True))


# -------------------------------------------------------------------------------- result
@dataclass(kw_only=True)
class AdversarialResult(IRLResult):
    """Outcome of :func:`adversarial_irl` (an :class:`~irlbook.core.result.IRLResult`).

    method : one of :data:`METHODS`
    reward : the learned reward — AIRL ``g`` [S]; GAN-GCL ``f`` [S, A]; GAIL the
             discriminator's logit ``d`` [S, A] (its only candidate for a reward)
    params : every discriminator table as numpy (AIRL also ``h`` [T, S])
    policy : [T, S, A] the final generator
    history : per iteration ``loss``, ``expert_D`` and ``policy_D`` (mean D on each
              occupancy) and ``occupancy_tv`` (total variation between them)
    """

    method: str
    params: dict


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


def adversarial_irl(mdp: TabularMDP, demos: Demonstrations | None = None, method: str = "airl",
                    n_iterations: int = 300, disc_steps: int = 5, lr: float = 0.05,
                    generator_step: float | None = None, entropy: float = 1.0, lr_final: float | None = None,
                    *, expert_policy=None) -> AdversarialResult:
    """The adversarial game, exact on a tabular MDP.

    Parameters
    ----------
    mdp : TabularMDP with ``T >= 2``
    demos : the expert's :class:`~irlbook.core.demonstrations.Demonstrations` (their transition
        occupancy, :func:`demo_occupancy`, is the expert's side of the game) -- or, keyword-only,
        ``expert_policy`` [T, S, A] for the exact occupancy of infinitely many demonstrations
        (:func:`policy_occupancy`)
    method : one of :data:`METHODS` (``"gail"``, ``"gan_gcl"``, ``"airl"``)
    n_iterations : generator updates;  disc_steps : Adam steps on the discriminator per update
    lr : Adam learning rate of the discriminator; ``lr_final`` : if given, the rate decays
        geometrically from ``lr`` to ``lr_final`` over the ``n_iterations`` updates
    generator_step : ``None`` = exact best response (soft value iteration on the current
        reward, temperature ``entropy``); a number ``eta`` = one :func:`mirror_step`.
        GAN-GCL and AIRL need ``entropy = 1`` (their ``D`` contains the generator's
        ``pi``); GAIL needs a finite step (a best response to a moving ``D`` cycles).
    entropy : the generator's entropy weight ``alpha`` (GAIL's ``lambda``)

    The generator's reward: ``f`` (GAN-GCL, AIRL), ``-log(1 - D) = softplus(d)`` (GAIL,
    Ho & Ermon's cost ``log D`` with their labels swapped). The discriminator's gradient is
    exact (:func:`logit_gradient`, :func:`discriminator_gradients`; tests check it against
    autograd) and Adam is written out, so the loop is plain numpy, float64.
    """
    check_mdp(mdp)
    method = check_choice(method, "method", METHODS)
    if mdp.horizon < 2:
        raise ValueError(f"mdp.horizon must be >= 2, got {mdp.horizon}")
    if (demos is None) == (expert_policy is None):
        raise ValueError("pass exactly one of demos or expert_policy (the exact limit of infinitely many demos)")
    expert_occupancy = (demo_occupancy(mdp, demos) if demos is not None
                        else policy_occupancy(mdp, check_policy(mdp, expert_policy, "expert_policy")))
    next_states, probs = successor_lists(mdp)
    T, S, A = mdp.horizon, mdp.n_states, mdp.n_actions
    shape = (T - 1,) + next_states.shape
    n_iterations = check_positive_int(n_iterations, "n_iterations")
    disc_steps = check_positive_int(disc_steps, "disc_steps")
    lr = check_positive(lr, "lr")
    if lr_final is not None:
        lr_final = check_positive(lr_final, "lr_final")
    entropy = check_nonnegative(entropy, "entropy")
    if method != "gail" and entropy != 1.0:
        raise ValueError(f"method={method!r} needs entropy=1 (its discriminator contains pi), got {entropy}")
    if generator_step is None and entropy == 0:
        raise ValueError("generator_step=None (soft best response) needs entropy > 0")
    if generator_step is not None:
        generator_step = check_positive(generator_step, "generator_step")

    if method == "airl":
        params = {"g": np.zeros(S), "h": np.zeros((T, S))}                  # h_0 .. h_{T-1}; h_T = 0
    elif method == "gan_gcl":
        params = {"f": np.zeros((S, A))}
    else:
        params = {"d": np.zeros((S, A))}
    first = {k: np.zeros_like(v) for k, v in params.items()}                # Adam's moment estimates
    second = {k: np.zeros_like(v) for k, v in params.items()}
    beta1, beta2, eps = 0.9, 0.999, 1e-8
    decay = 1.0 if lr_final is None else (lr_final / lr) ** (1.0 / max(n_iterations - 1, 1))

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
    for _ in range(n_iterations):
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
                             policy=np.exp(log_policy), history=as_history(**history))
