"""Deep maximum-entropy IRL (Wulfmeier, Ondruska & Posner 2015).

A network ``r_theta(f(s))`` maps each state's features to a reward. The MaxEnt
dual objective of chapter 4,

    L(theta) = E_{s_0 ~ p_0}[V_0(s_0; r_theta)] - sum_s rho_E(s) r_theta(s),

has gradient ``dL/dr(s) = rho_model(s) - rho_E(s)`` with respect to the reward
(``rho(s) = sum_t gamma^t D_t(s)``, discounted state visitation): the same
"expected minus expert" difference as linear MaxEnt, now pushed through the
network by the chain rule, ``dL/dtheta = sum_s (rho_model - rho_E)(s) dr(s)/dtheta``.

The planner (soft value iteration and the forward pass) is :mod:`irlbook.deep.planning`, in torch,
so the whole loop runs on the device chosen at run time (CUDA when present).
float64 on the CPU by default, float32 on CUDA.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from ..core.demonstrations import Demonstrations, as_demonstrations
from ..core.mdp import TabularMDP, check_mdp
from ..core.result import IRLResult, as_history
from ..core.visitation import discount_weights
from ..validation import (
    check_features,
    check_hidden,
    check_nonnegative,
    check_nonnegative_int,
    check_positive,
    check_positive_int,
)
from .networks import mlp
from .planning import soft_value_iteration, state_visitation, to_torch


@dataclass(kw_only=True)
class DeepMaxEntResult(IRLResult):
    """Outcome of :func:`deep_maxent` (an :class:`~irlbook.core.result.IRLResult`).

    reward : [S] numpy      the learned reward ``r_theta(f(s))``
    policy : [T, S, A]      its soft-optimal policy
    network : torch.nn.Module  the reward network (on standardised features)
    history : dict          per iteration ``loss`` (dual objective) and ``feature_gap``
                            (``sum_s |rho_model - rho_E|`` relative to ``sum rho_E``)
    """

    network: torch.nn.Module


def expert_state_counts(mdp: TabularMDP, demos) -> np.ndarray:
    """``rho_E(s) = (1/N) sum_n sum_t gamma^t [s_t^n = s]``, shape [S]; ``demos`` a tabular
    :class:`~irlbook.core.demonstrations.Demonstrations` (or integer states [N, T])."""
    demos = as_demonstrations(demos).check(mdp)
    return discount_weights(mdp) @ demos.state_occupancy(mdp.n_states)


def deep_maxent(mdp: TabularMDP, features, demos: Demonstrations, hidden=(32, 32), n_iterations: int = 200,
                lr: float = 1e-2, weight_decay: float = 1e-4, seed: int = 0, device=None,
                dtype=None) -> DeepMaxEntResult:
    """Deep MaxEnt IRL: fit an MLP reward by Adam on the MaxEnt dual objective.

    Parameters
    ----------
    mdp : TabularMDP (causal model);  features : [S, F] state features
    demos : tabular Demonstrations (or integer states [N, T]);  hidden : hidden layer widths
    n_iterations, lr, weight_decay : Adam steps, step size and L2 on the weights
    seed : network initialisation (a local generator);  device : torch device (default: CUDA when present)
    dtype : default float64 on CPU, float32 on CUDA
    """
    check_mdp(mdp)
    features = check_features(mdp, features)
    if features.ndim != 2:
        raise ValueError(f"features must be state features [S, F], got shape {features.shape}")
    demos = as_demonstrations(demos).check(mdp, names=("demos.states", "demos.actions"))
    n_iterations = check_positive_int(n_iterations, "n_iterations")
    lr, weight_decay = check_positive(lr, "lr"), check_nonnegative(weight_decay, "weight_decay")
    hidden, seed = check_hidden(hidden), check_nonnegative_int(seed, "seed")
    tmdp = to_torch(mdp, device=device, dtype=dtype)
    dtype, device = tmdp.dtype, tmdp.device
    # Standardise the inputs: distances and indicators live on very different scales.
    mean, std = features.mean(axis=0), features.std(axis=0)
    x = torch.as_tensor((features - mean) / np.where(std > 0, std, 1.0), dtype=dtype, device=device)
    rho_expert = torch.as_tensor(expert_state_counts(mdp, demos), dtype=dtype, device=device)
    network = mlp(features.shape[1], 1, hidden, generator=seed, dtype=dtype, device=device)
    optimiser = torch.optim.Adam(network.parameters(), lr=lr, weight_decay=weight_decay)
    history = {"loss": [], "feature_gap": []}
    for _ in range(n_iterations):
        reward = network(x).reshape(-1)
        with torch.no_grad():  # backward pass (soft VI) and forward pass (visitation)
            plan = soft_value_iteration(tmdp, reward)
            rho_model = tmdp.gammas @ state_visitation(tmdp, plan.policy)
            loss = tmdp.initial @ plan.v[0] - rho_expert @ reward
        optimiser.zero_grad()
        reward.backward(rho_model - rho_expert)   # dL/dtheta = sum_s (rho_model - rho_E) dr/dtheta
        optimiser.step()
        history["loss"].append(float(loss))
        history["feature_gap"].append(float((rho_model - rho_expert).abs().sum() / rho_expert.sum()))
    with torch.no_grad():
        reward = network(x).reshape(-1)
        policy = soft_value_iteration(tmdp, reward).policy
    return DeepMaxEntResult(reward=reward.cpu().double().numpy(), policy=policy.cpu().double().numpy(),
                            network=network, history=as_history(**history))
