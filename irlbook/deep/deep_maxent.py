"""Deep maximum-entropy IRL (Wulfmeier, Ondruska & Posner 2015) and a torch planner.

A network ``r_theta(f(s))`` maps each state's features to a reward. The MaxEnt
dual objective of chapter 4,

    L(theta) = E_{s_0 ~ p_0}[V_0(s_0; r_theta)] - sum_s rho_E(s) r_theta(s),

has gradient ``dL/dr(s) = rho_model(s) - rho_E(s)`` with respect to the reward
(``rho(s) = sum_t gamma^t D_t(s)``, discounted state visitation): the same
"expected minus expert" difference as linear MaxEnt, now pushed through the
network by the chain rule, ``dL/dtheta = sum_s (rho_model - rho_E)(s) dr(s)/dtheta``.

The planner (soft value iteration and the forward pass) is written in torch
too, so the whole loop runs on the device chosen at run time (CUDA when present)
and doubles as the "torch path" for large dense MDPs: ``torch_soft_value_iteration``
and ``torch_state_visitation`` take the transition matrix as a dense tensor or a
sparse CSR tensor. float64 on the CPU by default, float32 on CUDA.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
import torch

from ..core.mdp import TabularMDP
from ..core.demonstrations import check_demos
from ..core.mdp import check_mdp
from ..core.visitation import discount_weights
from ..profile import get_device
from ..validation import check_features


# ------------------------------------------------------------------ planning
@dataclass
class TorchMDP:
    """A TabularMDP's arrays as tensors on one device.

    P : [S*A, S] (dense or sparse CSR), P_T : its transpose (same layout),
    initial : [S], gammas : [T] (``gamma^t``).
    """

    P: torch.Tensor
    P_T: torch.Tensor
    initial: torch.Tensor
    gammas: torch.Tensor
    n_states: int
    n_actions: int
    horizon: int
    discount: float


def to_torch(mdp: TabularMDP, device=None, dtype=None, sparse: bool | None = None) -> TorchMDP:
    """Move ``mdp`` to ``device`` (default :func:`get_device`).

    ``sparse``: store ``P`` as a sparse CSR tensor (default: when the MDP is stored sparse and ``S > 1024``), else dense.
    """
    check_mdp(mdp)
    device = get_device(device) if not isinstance(device, torch.device) else device
    dtype = dtype or (torch.float64 if device.type == "cpu" else torch.float32)
    sparse = (mdp.is_sparse and mdp.n_states > 1024) if sparse is None else sparse
    matrix = mdp.transition_matrix
    if sparse:
        import scipy.sparse as sp

        csr = sp.csr_matrix(matrix)
        csr_t = csr.T.tocsr()

        def tensor(m):
            with warnings.catch_warnings():  # "sparse CSR support is in beta" is not our reader's concern
                warnings.simplefilter("ignore", UserWarning)
                return torch.sparse_csr_tensor(
                    torch.as_tensor(m.indptr, dtype=torch.int64), torch.as_tensor(m.indices, dtype=torch.int64),
                    torch.as_tensor(m.data, dtype=dtype), size=m.shape, check_invariants=True).to(device)

        P, P_T = tensor(csr), tensor(csr_t)
    else:
        dense = matrix.toarray() if hasattr(matrix, "toarray") else np.asarray(matrix)
        P = torch.as_tensor(dense, dtype=dtype, device=device)
        P_T = P.T.contiguous()
    return TorchMDP(P=P, P_T=P_T, initial=torch.as_tensor(mdp.initial, dtype=dtype, device=device),
                    gammas=torch.as_tensor(discount_weights(mdp), dtype=dtype, device=device),
                    n_states=mdp.n_states, n_actions=mdp.n_actions, horizon=mdp.horizon,
                    discount=mdp.discount)


def torch_soft_value_iteration(tmdp: TorchMDP, reward: torch.Tensor):
    """Causal soft value iteration (temperature 1) in torch.

    reward : [S] or [S, A] tensor. Returns ``(v0, policy)``: ``V_0`` [S] and
    ``pi_t(a|s)`` [T, S, A]. Differentiable in ``reward`` (autograd works through it).
    """
    S, A, T = tmdp.n_states, tmdp.n_actions, tmdp.horizon
    reward_sa = reward[:, None].expand(S, A) if reward.dim() == 1 else reward
    v_next = torch.zeros(S, dtype=reward.dtype, device=reward.device)
    policies = []
    for _ in range(T):
        q = reward_sa + tmdp.discount * (tmdp.P @ v_next[:, None]).reshape(S, A)
        v_next = torch.logsumexp(q, dim=1)
        policies.append(torch.exp(q - v_next[:, None]))
    return v_next, torch.stack(policies[::-1])


def torch_state_visitation(tmdp: TorchMDP, policy: torch.Tensor) -> torch.Tensor:
    """Forward pass ``D_{t+1} = P^T (D_t * pi_t)``; returns D [T, S]."""
    D = [tmdp.initial]
    for t in range(tmdp.horizon - 1):
        weights = (D[-1][:, None] * policy[t]).reshape(-1, 1)
        D.append((tmdp.P_T @ weights).reshape(-1))
    return torch.stack(D)


# ------------------------------------------------------------------- network
def reward_network(n_features: int, hidden=(32, 32), seed: int = 0, dtype=torch.float64, device=None):
    """An MLP ``f(s) -> r(s)`` with ReLU hidden layers (Wulfmeier et al. used 2 hidden layers)."""
    torch.manual_seed(seed)
    layers, width = [], n_features
    for h in hidden:
        layers += [torch.nn.Linear(width, h), torch.nn.ReLU()]
        width = h
    layers.append(torch.nn.Linear(width, 1))
    return torch.nn.Sequential(*layers).to(device=device, dtype=dtype)


@dataclass
class DeepMaxEntResult:
    """Outcome of :func:`deep_maxent`.

    reward : [S] numpy      the learned reward ``r_theta(f(s))``
    policy : [T, S, A]      its soft-optimal policy
    network : torch.nn.Module
    history : dict          per iteration ``loss`` (dual objective) and ``feature_gap``
                            (``sum_s |rho_model - rho_E|`` relative to ``sum rho_E``)
    """

    reward: np.ndarray
    policy: np.ndarray
    network: torch.nn.Module
    history: dict = field(default_factory=dict)


def expert_state_counts(mdp: TabularMDP, demo_states) -> np.ndarray:
    """``rho_E(s) = (1/N) sum_n sum_t gamma^t [s_t^n = s]``, shape [S]."""
    gammas = discount_weights(mdp)
    counts = np.zeros(mdp.n_states)
    np.add.at(counts, np.asarray(demo_states), np.broadcast_to(gammas, np.shape(demo_states)))
    return counts / len(demo_states)


def deep_maxent(mdp: TabularMDP, features, demo_states, hidden=(32, 32), n_iters: int = 200,
                lr: float = 1e-2, weight_decay: float = 1e-4, seed: int = 0, device=None,
                dtype=None) -> DeepMaxEntResult:
    """Deep MaxEnt IRL: fit an MLP reward by Adam on the MaxEnt dual objective.

    Parameters
    ----------
    mdp : TabularMDP (causal model);  features : [S, F] state features
    demo_states : int [N, T];  hidden : hidden layer widths
    n_iters, lr, weight_decay : Adam steps, step size and L2 on the weights
    seed : network initialisation;  device : torch device (default: CUDA when present)
    dtype : default float64 on CPU, float32 on CUDA
    """
    check_mdp(mdp)
    features = check_features(mdp, features)
    if features.ndim != 2:
        raise ValueError(f"features must be state features [S, F], got shape {features.shape}")
    demo_states, _ = check_demos(mdp, features, demo_states, None)
    if isinstance(n_iters, bool) or not isinstance(n_iters, (int, np.integer)) or n_iters < 1:
        raise ValueError(f"n_iters must be a positive integer, got {n_iters!r}")
    if not (np.isfinite(lr) and lr > 0):
        raise ValueError(f"lr must be positive, got {lr}")
    tmdp = to_torch(mdp, device=device, dtype=dtype)
    dtype, device = tmdp.initial.dtype, tmdp.initial.device
    # Standardise the inputs: distances and indicators live on very different scales.
    mean, std = features.mean(axis=0), features.std(axis=0)
    x = torch.as_tensor((features - mean) / np.where(std > 0, std, 1.0), dtype=dtype, device=device)
    rho_expert = torch.as_tensor(expert_state_counts(mdp, demo_states), dtype=dtype, device=device)
    network = reward_network(features.shape[1], hidden, seed, dtype, device)
    optimiser = torch.optim.Adam(network.parameters(), lr=lr, weight_decay=weight_decay)
    history = {"loss": [], "feature_gap": []}
    for _ in range(n_iters):
        reward = network(x).reshape(-1)
        with torch.no_grad():  # backward pass (soft VI) and forward pass (visitation)
            v0, policy = torch_soft_value_iteration(tmdp, reward)
            rho_model = tmdp.gammas @ torch_state_visitation(tmdp, policy)
            loss = tmdp.initial @ v0 - rho_expert @ reward
        optimiser.zero_grad()
        reward.backward(rho_model - rho_expert)   # dL/dtheta = sum_s (rho_model - rho_E) dr/dtheta
        optimiser.step()
        history["loss"].append(float(loss))
        history["feature_gap"].append(float((rho_model - rho_expert).abs().sum() / rho_expert.sum()))
    with torch.no_grad():
        reward = network(x).reshape(-1)
        _, policy = torch_soft_value_iteration(tmdp, reward)
    return DeepMaxEntResult(reward=reward.cpu().double().numpy(), policy=policy.cpu().double().numpy(),
                            network=network, history={k: np.asarray(v) for k, v in history.items()})
