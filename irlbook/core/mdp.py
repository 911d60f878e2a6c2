"""Finite-horizon tabular MDPs with dense or sparse transitions.

A :class:`TabularMDP` holds the dynamics ``P(s' | s, a)``, the initial state
distribution ``p(s_0)``, the horizon ``T`` and the discount ``gamma``. Rewards
are *not* part of the MDP: inverse RL is about searching over them, so every
planning routine takes the reward as a separate argument.

Internally the transitions are stored as a ``[S*A, S]`` matrix, row ``s*A + a``
being ``P(. | s, a)``. Dense matrices use BLAS; sparse ones (gridworlds, where
each state-action pair has a handful of successors) are kept in CSR format so
that every Bellman backup costs ``O(S*A*K)`` with ``K`` successors, never
``O(S^2)``.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from ..validation import (
    as_array,
    as_bounded_array,
    as_index_array,
    check_bool,
    check_choice,
    check_discount,
    check_distribution,
    check_horizon,
    check_instance,
    check_int,
    check_positive,
    check_positive_int,
    check_probability,
    check_seed,
    check_size,
)

# A dense transition tensor with fewer than this fraction of non-zeros is
# stored sparse: CSR matrix-vector products win well before this point.
_SPARSE_DENSITY = 0.05

try:
    # The compiled kernel behind scipy's ``csr_matrix @ vector``: ``y += A @ x`` into a given ``y``,
    # which lets the time loops reuse one output buffer instead of allocating one per step.
    from scipy.sparse._sparsetools import csr_matvec as _csr_matvec
except ImportError:  # pragma: no cover - a scipy without it: the loops fall back to ``A @ x``
    _csr_matvec = None


def _matvec_into(matrix, x: np.ndarray, out: np.ndarray, accumulate: bool = False) -> np.ndarray:
    """``out[:] = matrix @ x`` (``out += matrix @ x`` with ``accumulate``) for a CSR or dense 2-d ``matrix``,
    float64 ``x`` [n] and C-contiguous float64 ``out`` [m]; returns ``out``. Sparse products are written
    straight into ``out`` by scipy's compiled kernel; a dense one is a single BLAS ``gemv``."""
    if sp.issparse(matrix) and _csr_matvec is not None and out.flags.c_contiguous and x.flags.c_contiguous:
        if not accumulate:
            out.fill(0.0)
        _csr_matvec(matrix.shape[0], matrix.shape[1], matrix.indptr, matrix.indices, matrix.data, x, out)
    elif accumulate:
        out += matrix @ x
    elif sp.issparse(matrix):
        out[...] = matrix @ x
    else:
        np.matmul(matrix, x, out=out)
    return out


class TabularMDP:
    """A finite-horizon MDP with ``S`` states and ``A`` actions.

    Parameters
    ----------
    transitions : array [S, A, S]
        ``transitions[s, a, s']`` is ``P(s' | s, a)``; every ``[s, a, :]`` sums to 1.
        A ``scipy.sparse`` matrix of shape ``[S*A, S]`` (row ``s*A + a``) is accepted too.
    initial : array [S]
        Initial state distribution ``p(s_0)``.
    horizon : int
        Number of decisions ``T >= 1``; trajectories are ``s_0, a_0, ..., s_{T-1}, a_{T-1}``.
    discount : float
        ``gamma`` in ``(0, 1]``.

    Raises
    ------
    ValueError
        Naming the argument, for wrong shapes, negative or non-normalised
        probabilities, NaN/inf, ``horizon < 1`` or a discount outside ``(0, 1]``.
    """

    def __init__(self, transitions, initial, horizon, discount=1.0):
        if sp.issparse(transitions):
            matrix = sp.csr_matrix(transitions)
            if matrix.ndim != 2 or matrix.shape[1] == 0 or matrix.shape[0] == 0 or matrix.shape[0] % matrix.shape[1]:
                raise ValueError(f"transitions as a sparse matrix must have shape [S*A, S], got {matrix.shape}")
            data = as_bounded_array(matrix.data, "transitions", low=0.0, what="negative probabilities",
                                    nonempty=False)
            matrix = sp.csr_matrix((data, matrix.indices, matrix.indptr), shape=matrix.shape)
            n_states = matrix.shape[1]
            n_actions = matrix.shape[0] // n_states
            matrix.sum_duplicates()
            sums = np.asarray(matrix.sum(axis=1)).reshape(n_states, n_actions, 1)
            check_distribution(sums, "transitions", "P(.|s,a) for every (s, a)")   # each row's total is 1
            # renormalise in float64 what was accepted (rows within PROB_TOL of summing to one)
            matrix = sp.csr_matrix(sp.diags(1.0 / sums.reshape(-1)) @ matrix)
            matrix.eliminate_zeros()
            matrix.sort_indices()
            self._P = matrix
        else:
            transitions = as_array(transitions, "transitions", ndim=3)
            if transitions.shape[0] != transitions.shape[2]:
                raise ValueError(f"transitions must have shape [S, A, S], got {transitions.shape}")
            transitions = check_distribution(transitions, "transitions", "P(.|s,a) for every (s, a)")
            n_states, n_actions = transitions.shape[:2]
            flat = transitions.reshape(n_states * n_actions, n_states)
            density = np.count_nonzero(flat) / flat.size
            self._P = sp.csr_matrix(flat) if density < _SPARSE_DENSITY else np.ascontiguousarray(flat)
        self.n_states = int(n_states)
        self.n_actions = int(n_actions)
        self.initial = check_distribution(as_array(initial, "initial", shape=(self.n_states,)), "initial",
                                          "the initial state distribution")
        self.horizon = check_horizon(horizon)
        check_size((self.horizon, self.n_states, self.n_actions), "horizon, with a policy of shape [T, S, A],")
        self.discount = check_discount(discount)
        self._csr = None
        self._csc = None
        self._csr_transposed = None

    @classmethod
    def from_sparse(cls, next_states, probs, initial, horizon, discount=1.0) -> TabularMDP:
        """Build an MDP from successor lists.

        Parameters
        ----------
        next_states : int array [S, A, K]
            ``next_states[s, a, k]`` is the k-th possible successor of ``(s, a)``.
        probs : array [S, A, K]
            Its probability; ``probs[s, a, :]`` sums to 1. Repeated successors add up.
        """
        shape = np.shape(next_states)
        next_states = as_index_array(next_states, "next_states", shape[0] if len(shape) == 3 else 0, ndim=3)
        n_states, n_actions, _ = next_states.shape
        probs = check_distribution(as_array(probs, "probs", shape=next_states.shape), "probs", "probs[s, a, :]")
        rows = np.repeat(np.arange(n_states * n_actions), next_states.shape[2])
        matrix = sp.csr_matrix(
            (probs.ravel(), (rows, next_states.ravel())), shape=(n_states * n_actions, n_states)
        )
        matrix.sum_duplicates()
        matrix.eliminate_zeros()
        return cls(matrix, initial, horizon, discount)

    # ------------------------------------------------------------------ views
    @property
    def is_sparse(self) -> bool:
        """Whether transitions are stored as a CSR matrix."""
        return sp.issparse(self._P)

    @property
    def transitions(self) -> np.ndarray:
        """Dense ``P(s'|s,a)``, shape [S, A, S] (materialised; fine for small MDPs; a ``ValueError``
        before allocating when it would exceed ``validation.MAX_ELEMENTS``: use :meth:`as_csr`)."""
        check_size((self.n_states, self.n_actions, self.n_states), "mdp.transitions")
        dense = self._P.toarray() if self.is_sparse else self._P
        return dense.reshape(self.n_states, self.n_actions, self.n_states)

    @property
    def transition_matrix(self):
        """``P`` as a ``[S*A, S]`` matrix (CSR when sparse), row ``s*A + a``."""
        return self._P

    def as_csr(self) -> sp.csr_matrix:
        """The transitions as a CSR ``[S*A, S]`` matrix with sorted indices (cached)."""
        if self._csr is None:
            self._csr = self._P if self.is_sparse else sp.csr_matrix(self._P)
            self._csr.sort_indices()
        return self._csr

    def with_horizon(self, horizon) -> TabularMDP:
        """The same dynamics with another horizon (shares the transition storage)."""
        twin = object.__new__(TabularMDP)
        twin.__dict__.update(self.__dict__)
        twin.horizon = check_horizon(horizon)
        check_size((twin.horizon, self.n_states, self.n_actions), "horizon, with a policy of shape [T, S, A],")
        return twin

    def __repr__(self) -> str:
        kind = "sparse" if self.is_sparse else "dense"
        return (f"TabularMDP(n_states={self.n_states}, n_actions={self.n_actions}, "
                f"horizon={self.horizon}, discount={self.discount}, {kind})")

    # ------------------------------------------------------------ operators
    def expected_next(self, values: np.ndarray) -> np.ndarray:
        """``sum_{s'} P(s'|s,a) values[s', ...]``.

        values : [S] or [S, F]  ->  returns [S, A] or [S, A, F].
        """
        out = self._P @ values
        return np.asarray(out).reshape((self.n_states, self.n_actions) + values.shape[1:])

    def log_expected_exp(self, values: np.ndarray, temperature: float = 1.0) -> np.ndarray:
        """``tau log sum_{s'} P(s'|s,a) exp(values[s'] / tau)``, shape [S, A], stable for any finite
        values and any ``tau = temperature > 0``.

        Each row is shifted by the maximum over its own successors before dividing by ``tau``, so a
        row never underflows to ``log 0`` and ``values / tau`` never overflows, however far apart
        the values are.
        """
        csr = self.as_csr()
        successor_values = values[csr.indices]
        starts = csr.indptr[:-1]
        row_max = np.maximum.reduceat(successor_values, starts)
        counts = np.diff(csr.indptr)
        if temperature == 1.0:
            shifted = np.exp(successor_values - np.repeat(row_max, counts))
            row_sum = np.add.reduceat(csr.data * shifted, starts)
            return (row_max + np.log(row_sum)).reshape(self.n_states, self.n_actions)
        shifted = np.exp((successor_values - np.repeat(row_max, counts)) / temperature)
        row_sum = np.add.reduceat(csr.data * shifted, starts)
        return (row_max + temperature * np.log(row_sum)).reshape(self.n_states, self.n_actions)

    def push_forward(self, weights: np.ndarray) -> np.ndarray:
        """``sum_{s,a} weights[s,a] P(s'|s,a)``: weights [S, A] -> [S]."""
        return self._push_forward_into(np.ascontiguousarray(weights, dtype=np.float64), np.empty(self.n_states))

    # ---------------------------------------- per-step kernels of the time loops (no allocation)
    def _add_expected_next(self, values: np.ndarray, out: np.ndarray) -> np.ndarray:
        """``out[s, a] += sum_{s'} P(s'|s,a) values[s']`` in place, ``out`` [S, A] C-contiguous, values [S]
        float64. The backward passes call it once per time step."""
        _matvec_into(self._P, values, out.reshape(-1), accumulate=True)
        return out

    def _push_forward_into(self, weights: np.ndarray, out: np.ndarray) -> np.ndarray:
        """``out[s'] = sum_{s,a} weights[s,a] P(s'|s,a)`` written into ``out`` [S]; weights [S, A]
        C-contiguous float64. Sparse dynamics use ``P^T`` in CSR form (a row per destination state),
        dense ones BLAS ``gemv`` on the transposed view. The forward passes call it once per time step."""
        matrix = self._transposed_transitions()
        return _matvec_into(matrix, weights.reshape(-1), out)

    def _transposed_transitions(self):
        """``P^T`` [S, S*A]: CSR when sparse (cached; it shares its arrays with :meth:`as_csc`), else a
        transposed view of the dense matrix."""
        if not self.is_sparse:
            return self._P.T
        if getattr(self, "_csr_transposed", None) is None:
            csc = self.as_csc()
            self._csr_transposed = sp.csr_matrix((csc.data, csc.indices, csc.indptr),
                                                 shape=(self.n_states, self.n_states * self.n_actions))
        return self._csr_transposed

    def log_push_forward(self, log_weights: np.ndarray) -> np.ndarray:
        """``log sum_{s,a} exp(log_weights[s,a]) P(s'|s,a)``, shape [S], stable for any finite input.

        Each destination state is shifted by the largest of its own incoming terms, so a
        state reached only through tiny weights does not underflow to ``-inf``. States
        with no incoming transition (or only from weight ``-inf``) get ``-inf``.
        """
        csc = self.as_csc()
        flat = log_weights.reshape(-1)
        with np.errstate(divide="ignore"):
            edge = flat[csc.indices] + np.log(csc.data)
        out = np.full(self.n_states, -np.inf)
        counts = np.diff(csc.indptr)
        nonempty = counts > 0
        if not np.any(nonempty):
            return out
        starts = csc.indptr[:-1][nonempty]
        column_max = np.maximum.reduceat(edge, starts)
        finite = np.isfinite(column_max)
        shift = np.where(finite, column_max, 0.0)
        shifted = np.exp(edge - np.repeat(shift, counts[nonempty]))
        sums = np.add.reduceat(shifted, starts)
        with np.errstate(divide="ignore"):
            out[nonempty] = np.where(finite, shift + np.log(sums), -np.inf)
        return out

    def as_csc(self) -> sp.csc_matrix:
        """The transitions as a CSC ``[S*A, S]`` matrix with sorted indices (cached)."""
        if self._csc is None:
            self._csc = self.as_csr().tocsc()
            self._csc.sort_indices()
        return self._csc

    def push_forward_tilted(self, weights: np.ndarray, values: np.ndarray) -> np.ndarray:
        """Push ``weights`` [S, A] through the tilted dynamics
        ``P~(s'|s,a) = P(s'|s,a) exp(values[s']) / sum_{s''} P(s''|s,a) exp(values[s''])``.

        This is the next-state law of the non-causal MaxEnt model (chapter 4),
        which favours lucky transitions. Returns [S]. Stable for any finite values.
        """
        csr = self.as_csr()
        log_norm = self.log_expected_exp(values).reshape(-1)
        rows = np.repeat(np.arange(csr.shape[0]), np.diff(csr.indptr))
        edge = csr.data * np.exp(values[csr.indices] - log_norm[rows])
        return np.bincount(csr.indices, weights=edge * weights.reshape(-1)[rows], minlength=self.n_states)

    def probability(self, states: np.ndarray, actions: np.ndarray, next_states: np.ndarray) -> np.ndarray:
        """``P(s'|s,a)`` looked up for arrays of equal shape."""
        states, actions, next_states = np.broadcast_arrays(states, actions, next_states)
        rows = (states * self.n_actions + actions).reshape(-1)
        if self.is_sparse:
            values = np.asarray(self._P[rows, next_states.reshape(-1)]).reshape(-1)
        else:
            values = self._P[rows, next_states.reshape(-1)]
        return values.reshape(states.shape)

    def sample_next(self, states: np.ndarray, actions: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """Draw ``s' ~ P(.|s,a)`` for arrays of states and actions (vectorised)."""
        csr = self.as_csr()
        rows = states * self.n_actions + actions
        cumulative = np.cumsum(csr.data)
        # Row r occupies [indptr[r], indptr[r+1]); its probabilities add up to 1,
        # so within it the running total goes from offset[r] to offset[r] + 1.
        offset = np.concatenate(([0.0], cumulative))[csr.indptr[rows]]
        target = offset + rng.random(rows.shape)
        position = np.searchsorted(cumulative, target, side="right")
        position = np.clip(position, csr.indptr[rows], csr.indptr[rows + 1] - 1)
        return csr.indices[position]


def check_mdp(mdp, name: str = "mdp") -> TabularMDP:
    """``mdp`` if it is a :class:`TabularMDP`, else an error naming ``name``."""
    return check_instance(mdp, TabularMDP, name)


def random_mdp(n_states, n_actions, horizon, discount=1.0, sparsity=0.0, seed=None, *, power=1.0,
               deterministic=False, initial="random") -> TabularMDP:
    """A random :class:`TabularMDP` for tests and examples.

    Transitions: with ``deterministic`` each ``(s, a)`` has one successor drawn uniformly; otherwise
    ``P(s'|s,a)`` is proportional to ``U(0, 1) ** power`` (a larger ``power`` gives more peaked rows) and
    ``sparsity`` zeroes that fraction of the entries, always keeping one successor per ``(s, a)``.
    ``initial``: ``"random"`` (uniform draws normalised to one), ``"uniform"``, or a state index.
    ``seed`` may be a ``numpy.random.Generator``: the MDP is drawn from it and the caller keeps drawing
    from the same stream. The same seed gives the same MDP.
    """
    S = check_positive_int(n_states, "n_states")
    A = check_positive_int(n_actions, "n_actions")
    horizon = check_horizon(horizon)
    discount = check_discount(discount)
    sparsity = check_probability(sparsity, "sparsity")
    power = check_positive(power, "power")
    check_size((S, A, S), "random_mdp(n_states, n_actions)")
    rng = np.random.default_rng(check_seed(seed))
    if check_bool(deterministic, "deterministic"):
        P = np.eye(S)[rng.integers(S, size=(S, A))]
    else:
        P = rng.random((S, A, S)) ** power if power != 1 else rng.random((S, A, S))
        if sparsity:
            mask = rng.random((S, A, S)) < sparsity
            mask[np.arange(S)[:, None], np.arange(A)[None, :], rng.integers(S, size=(S, A))] = False
            P[mask] = 0.0
        P /= P.sum(axis=-1, keepdims=True)
    if isinstance(initial, str):
        check_choice(initial, "initial", ("random", "uniform"))
        start = rng.random(S) if initial == "random" else np.ones(S)
    else:
        start = np.eye(S)[check_int(initial, "initial", 0, S - 1)]
    return TabularMDP(P, start / start.sum(), horizon, discount)
