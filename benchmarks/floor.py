"""The floor under soft value iteration + state visitation: bytes moved and exponentials per time step,
against this machine's memory bandwidth and ``exp`` throughput, measured in the same run.

Per time step ``t`` of ``irlbook.soft_value_iteration`` (causal) and ``irlbook.state_visitation``,
with ``S`` states, ``A`` actions and ``nnz`` non-zeros of ``P`` (``S*A*S`` when dense), the traffic that
no implementation can avoid is counted once:

backward step (``Q_t = r + gamma P V_{t+1}``, ``V_t``, ``pi_t``)
    read ``P`` (sparse: CSR values 8 B, column indices, row pointers per non-zero / row; dense: ``8 S A S``),
    read ``V_{t+1}`` (``8 S``) and ``r`` (``8 S A``), write ``Q_t`` and ``pi_t`` (``2 * 8 S A``) and ``V_t`` (``8 S``);
    ``S A`` exponentials and ``S`` logarithms.
forward step (``D_{t+1} = P^T (D_t pi_t)``)
    read ``P^T`` (the same bytes again), ``pi_t`` (``8 S A``) and ``D_t`` (``8 S``), write ``D_{t+1}`` (``8 S``).

``floor_seconds = (T bytes_per_step - 2 P_bytes) / read_bandwidth + T * (S A + S) * seconds_per_exp``:
of the ``T`` steps of each pass, ``T - 1`` read ``P`` (the last backward step backs up ``V_T = 0``, the
last forward step has no successor), so ``P``'s bytes ``P_bytes`` are counted ``2 (T - 1)`` times. The
bandwidth is that of the fastest streaming read numpy offers on one core (``np.maximum.reduce``, a BLAS
dot product or ``gemv``) over an array as large as the distinct bytes one step touches (its working set) -- so that a
working set that fits a cache is read at that cache's speed -- and ``seconds_per_exp`` is ``np.exp`` on a
cache-resident float64 array.
A numpy implementation also pays a fixed cost per call into numpy (measured here too): it is reported
beside the floor, not added to it.
"""

from __future__ import annotations

import time

import numpy as np

#: numpy calls per time step of irlbook's backward (causal, alpha = 1) and forward loops, sparse dynamics.
CALLS_PER_STEP = {"backward": 12, "forward": 3}


def _best(fn, repeats: int) -> float:
    best = np.inf
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def read_bandwidth(nbytes: int, repeats: int = 7) -> float:
    """Bytes per second of a streaming read of a float64 array of ``nbytes`` (at least 64 KiB): the fastest of
    ``np.maximum.reduce``, ``x @ x`` and a BLAS ``gemv`` over the same bytes (512 columns)."""
    n = max(int(nbytes) // 4096 * 512, 8192)
    x = np.random.default_rng(0).random(n)
    matrix, vector, out = x.reshape(-1, 512), np.ones(512), np.empty(n // 512)
    inner = max(1, int(2**24 // n))                      # repeat small arrays so one probe takes ~ms

    def probe(read):
        def run():
            for _ in range(inner):
                read()
        return _best(run, repeats) / inner

    seconds = min(probe(lambda: np.maximum.reduce(x)), probe(lambda: x @ x),
                  probe(lambda: np.matmul(matrix, vector, out=out)))
    return 8 * n / seconds


def copy_bandwidth(nbytes: int = 2**28, repeats: int = 5) -> float:
    """Bytes per second (read + write) of ``np.copyto`` between two float64 arrays of ``nbytes``."""
    x = np.random.default_rng(0).random(int(nbytes) // 8)
    y = np.empty_like(x)
    return 2 * x.nbytes / _best(lambda: np.copyto(y, x), repeats)


def seconds_per_exp(n: int = 2**15, repeats: int = 50) -> float:
    """Seconds per element of ``np.exp`` on a cache-resident float64 array of ``n`` values in ``[-10, 0]``."""
    x = -10 * np.random.default_rng(0).random(n)
    out = np.empty_like(x)
    return _best(lambda: np.exp(x, out=out), repeats) / n


def seconds_per_numpy_call(repeats: int = 50) -> float:
    """Seconds of one ``np.add(a, b, out=c)`` on one-element arrays: numpy's fixed cost per call."""
    a, b, c = np.ones(1), np.ones(1), np.empty(1)

    def calls():
        for _ in range(1000):
            np.add(a, b, out=c)

    return _best(calls, repeats) / 1000


def step_traffic(mdp) -> dict:
    """Bytes read and written and transcendentals of one backward plus one forward step (module docstring)."""
    S, A = mdp.n_states, mdp.n_actions
    matrix = mdp.transition_matrix
    if mdp.is_sparse:
        matrix_bytes = matrix.nnz * (matrix.data.itemsize + matrix.indices.itemsize)
        backward_pointers = (S * A + 1) * matrix.indptr.itemsize
        forward_pointers = (S + 1) * matrix.indptr.itemsize
    else:
        matrix_bytes, backward_pointers, forward_pointers = 8 * S * A * S, 0, 0
    backward = matrix_bytes + backward_pointers + 8 * S + 8 * S * A + 2 * 8 * S * A + 8 * S
    forward = matrix_bytes + forward_pointers + 8 * S * A + 8 * S + 8 * S
    # distinct bytes a step touches: a dense P^T is a view of P; sparse P and P^T are two CSR copies
    working_set = backward + forward - (0 if mdp.is_sparse else matrix_bytes)
    return {"bytes_backward": int(backward), "bytes_forward": int(forward), "bytes": int(backward + forward),
            "matrix_bytes": int(matrix_bytes), "working_set": int(working_set), "transcendentals": int(S * A + S)}


def pass_bytes(mdp) -> int:
    """Bytes of one soft value iteration + visitation: ``T`` steps each, of which ``T - 1`` read ``P`` (each way)."""
    traffic = step_traffic(mdp)
    return mdp.horizon * traffic["bytes"] - 2 * traffic["matrix_bytes"]


def floor_seconds(mdp, bandwidth: float, exp_seconds: float) -> float:
    """The floor of one soft value iteration + visitation of ``mdp`` (module docstring)."""
    traffic = step_traffic(mdp)
    return pass_bytes(mdp) / bandwidth + mdp.horizon * traffic["transcendentals"] * exp_seconds


def machine_probe() -> dict:
    """``exp`` and per-call costs and copy bandwidth of this machine; read bandwidths are added per working-set
    size by :func:`bandwidth_for` as cases need them."""
    return {"bandwidths": {}, "exp_seconds": seconds_per_exp(), "call_seconds": seconds_per_numpy_call(),
            "copy_bandwidth": copy_bandwidth()}


def bandwidth_for(mdp, probe: dict) -> float:
    """:func:`read_bandwidth` at the size of the working set of one step of ``mdp`` (measured once per size)."""
    nbytes = step_traffic(mdp)["working_set"]
    if nbytes not in probe["bandwidths"]:
        probe["bandwidths"][nbytes] = read_bandwidth(nbytes)
    return probe["bandwidths"][nbytes]


def case_floor(mdp, probe: dict) -> float:
    """:func:`floor_seconds` of ``mdp`` at the bandwidth measured for its traffic."""
    return floor_seconds(mdp, bandwidth_for(mdp, probe), probe["exp_seconds"])


def floor_section(mdp, measured_seconds: float, probe: dict, note: str) -> dict:
    """The ``values["floor"]`` scalars of a record, for one reference ``mdp`` and its measured time."""
    traffic = step_traffic(mdp)
    bandwidth = bandwidth_for(mdp, probe)
    floor = floor_seconds(mdp, bandwidth, probe["exp_seconds"])
    calls = sum(CALLS_PER_STEP.values())
    return {
        "reference_case": f"S={mdp.n_states}, A={mdp.n_actions}, T={mdp.horizon}, "
                          + ("sparse" if mdp.is_sparse else "dense"),
        "bytes_per_step": traffic["bytes"], "exps_per_step": traffic["transcendentals"],
        "read_bandwidth_gb_s": bandwidth / 1e9, "copy_bandwidth_gb_s": probe["copy_bandwidth"] / 1e9,
        "exp_ns_per_element": probe["exp_seconds"] * 1e9,
        "memory_seconds": pass_bytes(mdp) / bandwidth,
        "exp_seconds": mdp.horizon * traffic["transcendentals"] * probe["exp_seconds"],
        "floor_seconds": floor, "measured_seconds": float(measured_seconds),
        "measured_over_floor": float(measured_seconds / floor),
        "numpy_calls_per_step": calls, "numpy_call_us": probe["call_seconds"] * 1e6,
        "call_overhead_seconds": mdp.horizon * calls * probe["call_seconds"],
        "note": note,
    }


def components(mdp, reward, repeats: int = 5) -> dict:
    """Median seconds of the parts of one forward-backward pass: ``soft_value_iteration``, ``state_visitation``,
    and within the latter the validation of its policy argument (``irlbook.validation.check_policy``: finite,
    non-negative, rows summing to one, returned renormalised)."""
    import irlbook
    from irlbook.validation import check_policy

    policy = irlbook.soft_value_iteration(mdp, reward).policy
    parts = {"soft_vi_seconds": lambda: irlbook.soft_value_iteration(mdp, reward),
             "visitation_seconds": lambda: irlbook.state_visitation(mdp, policy),
             "policy_check_seconds": lambda: check_policy(mdp, policy)}
    times = {name: [] for name in parts}
    for _ in range(repeats):
        for name, fn in parts.items():
            start = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - start)
    return {name: float(np.median(t)) for name, t in times.items()}
