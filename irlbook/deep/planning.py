"""The torch planner: soft value iteration and state visitation with :mod:`irlbook.core.planning`'s signature.

Same equations as the numpy planner (chapter 1), with ``V_T`` = ``terminal_value`` (zeros by default):

causal      ``Q_t(s,a) = r(s,a) + gamma sum_{s'} P(s'|s,a) V_{t+1}(s')``
non-causal  ``Q_t(s,a) = r(s,a) + tau log sum_{s'} P(s'|s,a) exp(V_{t+1}(s') / tau)``  (``gamma = 1``)
both        ``V_t(s) = tau log sum_a exp(Q_t(s,a) / tau)``,  ``pi_t(a|s) = exp((Q_t(s,a) - V_t(s)) / tau)``

and the forward pass ``D_0 = initial``, ``D_{t+1}(s') = sum_{s,a} D_t(s) pi_t(a|s) P(s'|s,a)``.
Everything is a torch tensor on one device, differentiable in the reward (autograd works through
the backward pass), so deep MaxEnt runs its whole loop on CUDA when present. The transition
matrix is dense, or a sparse CSR tensor for large sparse MDPs. An MDP is converted once per
(device, dtype, layout) and the conversion is cached for as long as the ``TabularMDP`` lives.
"""

from __future__ import annotations

import warnings
import weakref
from dataclasses import dataclass

import numpy as np
import torch

from ..core.mdp import TabularMDP, check_mdp
from ..core.visitation import discount_weights
from ..validation import ArgumentTypeError, check_bool, check_temperature
from .networks import as_device


@dataclass
class TorchMDP:
    """A TabularMDP's arrays as tensors on one device.

    P : [S*A, S] (dense or sparse CSR), P_T : its transpose (same layout),
    initial : [S], gammas : [T] (``gamma^t``); rows, cols, probs : [nnz] the non-zero
    transitions ``P(cols | rows)`` (row ``s*A + a``), for the non-causal backup.
    """

    P: torch.Tensor
    P_T: torch.Tensor
    initial: torch.Tensor
    gammas: torch.Tensor
    rows: torch.Tensor
    cols: torch.Tensor
    probs: torch.Tensor
    n_states: int
    n_actions: int
    horizon: int
    discount: float

    @property
    def dtype(self) -> torch.dtype:
        return self.initial.dtype

    @property
    def device(self) -> torch.device:
        return self.initial.device


@dataclass(frozen=True)
class TorchPlanningResult:
    """:class:`irlbook.core.planning.PlanningResult` in torch: ``q`` [T, S, A], ``v`` [T, S], ``policy`` [T, S, A]."""

    q: torch.Tensor
    v: torch.Tensor
    policy: torch.Tensor


_CACHE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def to_torch(mdp: TabularMDP, device=None, dtype=None, sparse: bool | None = None) -> TorchMDP:
    """``mdp`` as tensors on ``device`` (default: CUDA when present), cached per (device, dtype, layout).

    ``dtype``: float64 on the CPU, float32 on CUDA by default. ``sparse``: store ``P`` as a sparse CSR
    tensor (default: when the MDP is stored sparse and ``S > 1024``), else dense.
    """
    check_mdp(mdp)
    device = as_device(device)
    dtype = dtype or (torch.float64 if device.type == "cpu" else torch.float32)
    if not (isinstance(dtype, torch.dtype) and dtype.is_floating_point):
        raise ArgumentTypeError(f"dtype must be a torch floating dtype, got {dtype!r}")
    sparse = (mdp.is_sparse and mdp.n_states > 1024) if sparse is None else check_bool(sparse, "sparse")
    key = (str(device), dtype, sparse)
    cached = _CACHE.setdefault(mdp, {})
    if key in cached:
        return cached[key]
    csr = mdp.as_csr()
    if sparse:
        csr_t = csr.T.tocsr()

        def tensor(m):
            with warnings.catch_warnings():  # "sparse CSR support is in beta" is not our reader's concern
                warnings.simplefilter("ignore", UserWarning)
                return torch.sparse_csr_tensor(
                    torch.as_tensor(m.indptr, dtype=torch.int64), torch.as_tensor(m.indices, dtype=torch.int64),
                    torch.as_tensor(m.data, dtype=dtype), size=m.shape, check_invariants=True).to(device)

        P, P_T = tensor(csr), tensor(csr_t)
    else:
        matrix = mdp.transition_matrix
        dense = matrix.toarray() if hasattr(matrix, "toarray") else np.asarray(matrix)
        P = torch.as_tensor(dense, dtype=dtype, device=device)
        P_T = P.T.contiguous()
    rows = np.repeat(np.arange(csr.shape[0]), np.diff(csr.indptr))
    tmdp = TorchMDP(P=P, P_T=P_T, initial=torch.as_tensor(mdp.initial, dtype=dtype, device=device),
                    gammas=torch.as_tensor(discount_weights(mdp), dtype=dtype, device=device),
                    rows=torch.as_tensor(rows, device=device), cols=torch.as_tensor(csr.indices, device=device),
                    probs=torch.as_tensor(csr.data, dtype=dtype, device=device),
                    n_states=mdp.n_states, n_actions=mdp.n_actions, horizon=mdp.horizon, discount=mdp.discount)
    cached[key] = tmdp
    return tmdp


def _as_torch_mdp(mdp, reference: torch.Tensor | None) -> TorchMDP:
    if isinstance(mdp, TorchMDP):
        return mdp
    if reference is not None:
        return to_torch(mdp, device=reference.device, dtype=reference.dtype if reference.is_floating_point() else None)
    return to_torch(mdp)


def _as_tensor(value, name: str, tmdp: TorchMDP, shapes: tuple) -> torch.Tensor:
    """``value`` (tensor or array) on ``tmdp``'s device and dtype, with one of ``shapes``, finite."""
    if isinstance(value, torch.Tensor):
        if value.is_complex() or not (value.is_floating_point() or value.dtype in (torch.int32, torch.int64)):
            raise ArgumentTypeError(f"{name} must be a real tensor, got dtype {value.dtype}")
        tensor = value.to(device=tmdp.device, dtype=tmdp.dtype)
    else:
        array = np.asarray(value)
        if array.dtype.kind not in "iuf":
            raise ArgumentTypeError(f"{name} must be a real array, got dtype {array.dtype}")
        tensor = torch.as_tensor(array, dtype=tmdp.dtype, device=tmdp.device)
    if tuple(tensor.shape) not in shapes:
        expected = " or ".join(str(list(s)) for s in shapes)
        raise ValueError(f"{name} must have shape {expected}, got {list(tensor.shape)}")
    if not bool(torch.isfinite(tensor.detach()).all()):
        raise ValueError(f"{name} must be finite (no NaN or inf)")
    return tensor


def _log_expected_exp(tmdp: TorchMDP, values: torch.Tensor) -> torch.Tensor:
    """``log sum_{s'} P(s'|s,a) exp(values[s'])`` [S, A], each row shifted by its own successors' maximum."""
    successor = values[tmdp.cols]
    n_rows = tmdp.n_states * tmdp.n_actions
    row_max = torch.full((n_rows,), -torch.inf, dtype=values.dtype, device=values.device)
    row_max = row_max.scatter_reduce(0, tmdp.rows, successor.detach(), "amax")
    total = torch.zeros(n_rows, dtype=values.dtype, device=values.device)
    total = total.index_add(0, tmdp.rows, tmdp.probs * torch.exp(successor - row_max[tmdp.rows]))
    return (row_max + torch.log(total)).reshape(tmdp.n_states, tmdp.n_actions)


def soft_value_iteration(mdp, reward, temperature: float = 1.0, causal: bool = True,
                         terminal_value=None) -> TorchPlanningResult:
    """Soft value iteration in torch (:func:`irlbook.core.planning.soft_value_iteration`'s equations).

    mdp : TabularMDP (converted once with :func:`to_torch`, on the reward's device and dtype when the
    reward is a floating tensor) or TorchMDP;  reward : [S], [S, A] or [T, S, A] tensor or array;
    terminal_value : [S] (``V_T``, zeros by default). Returns ``q`` [T,S,A], ``v`` [T,S], ``policy`` [T,S,A],
    differentiable in ``reward``.
    """
    tmdp = _as_torch_mdp(mdp, reward if isinstance(reward, torch.Tensor) else None)
    S, A, T = tmdp.n_states, tmdp.n_actions, tmdp.horizon
    reward = _as_tensor(reward, "reward", tmdp, ((S,), (S, A), (T, S, A)))
    tau = check_temperature(temperature)
    causal = check_bool(causal, "causal")
    if not causal and tmdp.discount != 1.0:
        raise ValueError(f"causal=False (the non-causal model) requires discount == 1, got discount={tmdp.discount}")
    v_next = (torch.zeros(S, dtype=tmdp.dtype, device=tmdp.device) if terminal_value is None
              else _as_tensor(terminal_value, "terminal_value", tmdp, ((S,),)))
    qs, vs, policies = [], [], []
    for t in reversed(range(T)):
        r_t = reward[t] if reward.dim() == 3 else (reward[:, None].expand(S, A) if reward.dim() == 1 else reward)
        if causal:
            q = r_t + tmdp.discount * (tmdp.P @ v_next[:, None]).reshape(S, A)
        else:
            q = r_t + tau * _log_expected_exp(tmdp, v_next / tau)
        v_next = tau * torch.logsumexp(q / tau, dim=1)
        qs.append(q)
        vs.append(v_next)
        policies.append(torch.exp((q - v_next[:, None]) / tau))
    return TorchPlanningResult(q=torch.stack(qs[::-1]), v=torch.stack(vs[::-1]), policy=torch.stack(policies[::-1]))


def state_visitation(mdp, policy) -> torch.Tensor:
    """Forward pass ``D_{t+1} = P^T (D_t * pi_t)`` from ``D_0 = initial``; ``policy`` [T, S, A] or [S, A];
    returns D [T, S]."""
    tmdp = _as_torch_mdp(mdp, policy if isinstance(policy, torch.Tensor) else None)
    S, A, T = tmdp.n_states, tmdp.n_actions, tmdp.horizon
    policy = _as_tensor(policy, "policy", tmdp, ((T, S, A), (S, A)))
    if policy.dim() == 2:
        policy = policy.expand(T, S, A)
    D = [tmdp.initial]
    for t in range(T - 1):
        weights = (D[-1][:, None] * policy[t]).reshape(-1, 1)
        D.append((tmdp.P_T @ weights).reshape(-1))
    return torch.stack(D)
