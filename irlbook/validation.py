"""Input checks, in one place, for the whole library (floor 0: imports numpy only).

Every public function of ``irlbook`` validates its arguments with the helpers below, so
that bad input fails early with a ``ValueError`` (or ``TypeError`` for a value of the
wrong kind) whose message names the argument, never with a NaN, a hang, a silent
truncation or an error from deep inside numpy or torch. Each helper returns the
value converted to the type the library computes with.

Conventions
-----------
* Counts (iterations, episodes, sizes) are Python or numpy integers; ``2.0`` is accepted
  as ``2``, ``2.5`` and ``True`` are not.
* Real arrays are float64, finite unless stated, and never complex.
* Index arrays (states, actions in demonstrations) are integer-typed and in range:
  ``-1`` does not silently mean "the last state".
* Probability vectors are non-negative and sum to one within ``PROB_TOL``; what is
  accepted is renormalised in float64, so a row off by 1e-7 cannot be exploited
  downstream.
"""

from __future__ import annotations

import numbers
import operator

import numpy as np


class ArgumentTypeError(TypeError, ValueError):
    """A value of the wrong kind (a string for a count, a complex array, a float index...).

    It is a ``TypeError`` and, since callers often catch bad input as one class, also a ``ValueError``.
    """


#: How far a probability vector may sum from one and still be accepted (then renormalised).
PROB_TOL = 1e-6
#: The largest array the library agrees to allocate from a size argument, in elements (8 GiB of float64).
MAX_ELEMENTS = 2**30


# ----------------------------------------------------------------------------- scalars
def check_int(value, name: str, minimum: int | None = None, maximum: int | None = None) -> int:
    """An integer ``minimum <= value <= maximum``; integral floats (``3.0``) are accepted."""
    if isinstance(value, (bool, np.bool_)):
        raise ArgumentTypeError(f"{name} must be an integer, got the bool {value!r}")
    if isinstance(value, numbers.Integral):
        value = int(value)
    elif isinstance(value, numbers.Real) and np.isfinite(float(value)) and float(value).is_integer():
        value = int(value)
    else:
        try:
            value = operator.index(value)
        except TypeError:
            raise ArgumentTypeError(f"{name} must be an integer, got {value!r}") from None
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name} must be <= {maximum}, got {value}")
    return value


def check_positive_int(value, name: str) -> int:
    """An integer ``>= 1`` (a count of iterations, samples, episodes, units...)."""
    return check_int(value, name, minimum=1)


def check_nonnegative_int(value, name: str) -> int:
    """An integer ``>= 0``."""
    return check_int(value, name, minimum=0)


def check_real(value, name: str, low: float | None = None, high: float | None = None,
               low_open: bool = False, high_open: bool = False, finite: bool = True) -> float:
    """A real number in the interval given by ``low``/``high`` (closed unless ``*_open``)."""
    if isinstance(value, (bool, np.bool_)):
        raise ArgumentTypeError(f"{name} must be a real number, got the bool {value!r}")
    if isinstance(value, (complex, np.complexfloating)):
        raise ArgumentTypeError(f"{name} must be a real number, got the complex {value!r}")
    try:
        value = float(value)
    except (TypeError, ValueError):
        raise ArgumentTypeError(f"{name} must be a real number, got {value!r}") from None
    if np.isnan(value) or (finite and not np.isfinite(value)):
        raise ValueError(f"{name} must be a finite number, got {value}")
    if low is not None and (value < low or (low_open and value == low)):
        raise ValueError(f"{name} must be {'>' if low_open else '>='} {low}, got {value}")
    if high is not None and (value > high or (high_open and value == high)):
        raise ValueError(f"{name} must be {'<' if high_open else '<='} {high}, got {value}")
    return value


def check_positive(value, name: str) -> float:
    """A finite real ``> 0`` (a temperature, a learning rate, a step size)."""
    return check_real(value, name, low=0.0, low_open=True)


def check_nonnegative(value, name: str) -> float:
    """A finite real ``>= 0`` (a penalty weight, a regulariser, a tolerance)."""
    return check_real(value, name, low=0.0)


def check_probability(value, name: str) -> float:
    """A real in ``[0, 1]``."""
    return check_real(value, name, low=0.0, high=1.0)


def check_discount(discount, name: str = "discount") -> float:
    """A discount ``gamma`` in ``(0, 1]``."""
    return check_real(discount, name, low=0.0, high=1.0, low_open=True)


def check_horizon(horizon, name: str = "horizon") -> int:
    """A horizon ``T >= 1``."""
    return check_positive_int(horizon, name)


def check_temperature(temperature, name: str = "temperature") -> float:
    """A temperature ``tau > 0``."""
    return check_positive(temperature, name)


def check_bool(value, name: str) -> bool:
    """A bool (numpy bools included); ``0``/``1`` and strings are refused."""
    if not isinstance(value, (bool, np.bool_)):
        raise ArgumentTypeError(f"{name} must be True or False, got {value!r}")
    return bool(value)


def check_choice(value, name: str, choices) -> str:
    """One of ``choices``."""
    if value not in tuple(choices):
        raise ValueError(f"{name} must be one of {tuple(choices)}, got {value!r}")
    return value


def check_seed(seed, name: str = "seed"):
    """``None``, a non-negative integer, a ``SeedSequence`` or a ``Generator``; returned as it is
    (integral floats become ``int``)."""
    if seed is None or isinstance(seed, (np.random.Generator, np.random.SeedSequence)):
        return seed
    return check_nonnegative_int(seed, name)


def check_hidden(hidden, name: str = "hidden") -> tuple[int, ...]:
    """Hidden layer widths: a sequence of positive integers (possibly empty)."""
    if isinstance(hidden, (numbers.Number, str, bytes)):
        raise ArgumentTypeError(f"{name} must be a sequence of layer widths, e.g. (64, 64), got {hidden!r}")
    try:
        widths = tuple(hidden)
    except TypeError:
        raise ArgumentTypeError(f"{name} must be a sequence of layer widths, e.g. (64, 64), got {hidden!r}") from None
    return tuple(check_positive_int(w, f"{name}[{i}]") for i, w in enumerate(widths))


def check_instance(value, cls, name: str):
    """``value`` if it is an instance of ``cls``, else a ``TypeError`` naming ``name``."""
    if not isinstance(value, cls):
        names = " or ".join(c.__name__ for c in (cls if isinstance(cls, tuple) else (cls,)))
        raise ArgumentTypeError(f"{name} must be a {names}, got {type(value).__name__}")
    return value


def check_size(shape, name: str, limit: int = MAX_ELEMENTS) -> tuple[int, ...]:
    """Refuse to allocate an array of ``shape`` with more than ``limit`` elements (before trying)."""
    shape = tuple(int(n) for n in shape)
    elements = 1
    for n in shape:
        elements *= n
    if elements > limit:
        raise ValueError(f"{name} would need an array of shape {shape} ({elements:,} elements, "
                         f"more than the limit of {limit:,}); use a smaller problem or the sparse path")
    return shape


# ----------------------------------------------------------------------------- arrays
def _check_shape(array: np.ndarray, name: str, shape: tuple) -> None:
    """Raise unless ``array`` has ``shape`` (``None`` entries match any length)."""
    if array.ndim != len(shape) or any(s is not None and s != a for s, a in zip(shape, array.shape, strict=True)):
        expected = "[" + ", ".join("*" if s is None else str(s) for s in shape) + "]"
        raise ValueError(f"{name} must have shape {expected}, got {array.shape}")


def as_array(value, name: str, ndim: int | tuple[int, ...] | None = None, shape: tuple | None = None,
             finite: bool = True, nonempty: bool = True) -> np.ndarray:
    """``value`` as a float64 array, refusing complex, non-numeric, NaN/inf (unless ``finite=False``),
    empty arrays (unless ``nonempty=False``) and a wrong ``ndim`` or ``shape`` (``None`` entries of
    ``shape`` match any length)."""
    try:
        array = np.asarray(value)
    except (TypeError, ValueError):
        raise ArgumentTypeError(f"{name} must be a numeric array") from None
    if np.iscomplexobj(array):
        raise ArgumentTypeError(f"{name} must be real, got a complex array")
    if array.dtype == object or not (np.issubdtype(array.dtype, np.number) or array.dtype == np.bool_):
        raise ArgumentTypeError(f"{name} must be a numeric array, got dtype {array.dtype}")
    array = array.astype(np.float64, copy=False)
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else tuple(ndim)
        if array.ndim not in allowed:
            raise ValueError(f"{name} must have {' or '.join(map(str, allowed))} dimensions, got shape {array.shape}")
    if shape is not None:
        _check_shape(array, name, shape)
    if nonempty and array.size == 0:
        raise ValueError(f"{name} must not be empty, got shape {array.shape}")
    if finite and not np.all(np.isfinite(array)):
        raise ValueError(f"{name} contains NaN or inf")
    elif not finite and np.any(np.isnan(array)):
        raise ValueError(f"{name} contains NaN")
    return array


def as_index_array(value, name: str, size: int, shape: tuple | None = None, ndim: int | None = None) -> np.ndarray:
    """Integer indices in ``[0, size)`` as int64: refuses floats (``1.5`` would be truncated), bools,
    negative indices (``-1`` would wrap to the last entry) and indices ``>= size``."""
    try:
        array = np.asarray(value)
    except (TypeError, ValueError):
        raise ArgumentTypeError(f"{name} must be an integer array") from None
    if array.dtype == np.bool_ or not np.issubdtype(array.dtype, np.integer):
        if array.size == 0 and array.dtype == np.float64:
            array = array.astype(np.int64)
        else:
            raise ArgumentTypeError(f"{name} must hold integer indices, got dtype {array.dtype}")
    if ndim is not None and array.ndim != ndim:
        raise ValueError(f"{name} must have {ndim} dimensions, got shape {array.shape}")
    if shape is not None:
        _check_shape(array, name, shape)
    if array.size == 0:
        raise ValueError(f"{name} must not be empty, got shape {array.shape}")
    low, high = int(array.min()), int(array.max())
    if low < 0 or high >= size:
        raise ValueError(f"{name} must lie in [0, {size}), got values from {low} to {high}")
    return array.astype(np.int64, copy=False)


def check_distribution(value, name: str, what: str = "each row", axis: int = -1) -> np.ndarray:
    """Probability vectors along ``axis``: finite, non-negative, summing to one within ``PROB_TOL``.

    Returns a float64 copy renormalised exactly, so that later computations see true
    distributions whatever rounding the caller's rows carried.
    """
    array = as_array(value, name)
    if np.any(array < 0):
        raise ValueError(f"{name} has negative entries; {what} must be non-negative")
    if axis in (-1, array.ndim - 1):
        # a product with ones sums a short last axis (A = 4 or 5 actions) several times faster than
        # ndarray.sum, which reduces a trailing axis element by element
        sums = (array @ np.ones(array.shape[-1]))[..., None]
    else:
        sums = array.sum(axis=axis, keepdims=True)
    error = np.abs(sums - 1.0)
    if np.any(error > PROB_TOL):
        index = np.unravel_index(np.argmax(error), error.shape)
        raise ValueError(f"{name} is not normalised: {what} must sum to 1 "
                         f"(at index {tuple(int(i) for i in index)} the sum is {float(sums[index]):.9g})")
    return array / sums


# --------------------------------------------------------------------- MDP-shaped arrays
# ``mdp`` is anything with ``n_states``, ``n_actions`` and ``horizon`` (a TabularMDP), read by
# attribute so that this module stays below irlbook.core.
def check_reward(mdp, reward, name: str = "reward", time_varying: bool = False) -> np.ndarray:
    """A finite reward [S] or [S, A] returned as [S, A]; with ``time_varying`` also [T, S, A] (returned as is)."""
    reward = as_array(reward, name)
    T, S, A = mdp.horizon, mdp.n_states, mdp.n_actions
    if reward.shape == (S,):
        return np.repeat(reward[:, None], A, axis=1)
    if reward.shape == (S, A) or (time_varying and reward.shape == (T, S, A)):
        return reward
    raise ValueError(f"{name} must have shape [S] = ({S},) or [S, A] = ({S}, {A})"
                     + (f" or [T, S, A] = ({T}, {S}, {A})" if time_varying else "") + f", got {reward.shape}")


def check_policy(mdp, policy, name: str = "policy") -> np.ndarray:
    """A policy [T, S, A] (or stationary [S, A], broadcast over time) of distributions over actions,
    renormalised in float64."""
    policy = as_array(policy, name, ndim=(2, 3))
    T, S, A = mdp.horizon, mdp.n_states, mdp.n_actions
    if policy.shape == (S, A):
        policy = np.broadcast_to(policy, (T, S, A))
    elif policy.shape != (T, S, A):
        raise ValueError(f"{name} must have shape [T, S, A] = ({T}, {S}, {A}) or [S, A] = ({S}, {A}), "
                         f"got {policy.shape}")
    return check_distribution(policy, name, "pi_t(.|s) for every (t, s)")


def check_features(mdp, features, name: str = "features") -> np.ndarray:
    """Finite features [S, F] (of states) or [S, A, F] (of state-action pairs), F >= 1."""
    features = as_array(features, name, ndim=(2, 3), nonempty=False)
    S, A = mdp.n_states, mdp.n_actions
    if not ((features.ndim == 2 and features.shape[0] == S) or (features.ndim == 3 and features.shape[:2] == (S, A))):
        raise ValueError(f"{name} must have shape [S, F] or [S, A, F] with S={S}, A={A}, got {features.shape}")
    if features.shape[-1] == 0:
        raise ValueError(f"{name} must have at least one feature column")
    if features.shape[0] == 0:
        raise ValueError(f"{name} must not be empty")
    return features


def check_state_values(mdp, values, name: str) -> np.ndarray:
    """Finite values [S] (a terminal value, a potential); ``None`` gives zeros."""
    if values is None:
        return np.zeros(mdp.n_states)
    return as_array(values, name, shape=(mdp.n_states,))


# ----------------------------------------------------------------------------- core and envs
def as_bounded_array(value, name: str, low: float | None = None, high: float | None = None,
                     what: str = "entries", **kwargs) -> np.ndarray:
    """:func:`as_array` whose entries also lie in ``[low, high]`` (``low=0``: a non-negative weight
    array; ``low=-1, high=1``: points of a box). Other keywords go to :func:`as_array`."""
    array = as_array(value, name, **kwargs)
    if low is not None and np.any(array < low):
        raise ValueError(f"{name} has {what} below {low} (minimum {float(np.nanmin(array)):.6g})")
    if high is not None and np.any(array > high):
        raise ValueError(f"{name} has {what} above {high} (maximum {float(np.nanmax(array)):.6g})")
    return array


def check_last_axis(array: np.ndarray, name: str, size: int) -> np.ndarray:
    """``array`` if its last axis has length ``size`` (points [..., d] of a d-dimensional space)."""
    if array.ndim == 0 or array.shape[-1] != size:
        raise ValueError(f"{name} must have shape [..., {size}], got {array.shape}")
    return array


def as_observations(value, name: str, dim: int) -> np.ndarray:
    """Observation(s) for a policy: one [dim] or a batch [B, dim], finite, as float32 (what the networks take)."""
    array = np.asarray(value, dtype=np.float32)
    if array.ndim not in (1, 2) or array.shape[-1] != dim:
        raise ValueError(f"{name} must have shape [{dim}] or [B, {dim}], got {array.shape}")
    if not np.isfinite(array).all():
        raise ValueError(f"{name} must be finite (no NaN or inf)")
    return array


def as_probability_vector(value, name: str, size: int) -> np.ndarray:
    """A distribution over ``size`` outcomes (see :func:`check_distribution`); ``None`` gives the uniform one."""
    if value is None:
        return np.full(size, 1.0 / size)
    return check_distribution(as_array(value, name, shape=(size,)), name, "a probability vector")


def as_batch(value, name: str, length: int | None = None, item_shape: tuple | None = None) -> np.ndarray:
    """A finite float64 batch [B, ...] of at least one row: ``length`` rows if given, each of
    ``item_shape`` if given (``None`` entries match any length)."""
    array = as_array(value, name)
    if array.ndim == 0:
        raise ValueError(f"{name} must be a batch [B, ...], got a scalar")
    shape = ((length,) if length is not None else (None,)) + (
        tuple(item_shape) if item_shape is not None else (None,) * (array.ndim - 1))
    return as_array(array, name, shape=shape)


# ----------------------------------------------------------------------------- tabular IRL
def check_point_and_rows(point, rows, point_name: str, rows_name: str) -> tuple[np.ndarray, np.ndarray]:
    """A finite non-empty vector ``point`` [F] and finite rows [J, F] (a single row [F] is read as [1, F])
    of the same width, both float64 (feature expectations of an expert and of candidate policies)."""
    point = as_array(point, point_name, ndim=1)
    rows = as_array(rows, rows_name, ndim=(1, 2))
    rows = rows[None, :] if rows.ndim == 1 else rows
    if rows.shape[1] != point.size:
        raise ValueError(f"{rows_name} must have shape [J, F={point.size}], got {rows.shape}")
    return point, rows


def check_log_weights(log_weights, name: str = "log_weights") -> np.ndarray:
    """Log-weights: a non-empty float64 array [n] or [..., n] with no NaN and no ``+inf``; ``-inf`` (a zero
    weight) is allowed, but not in every entry of a sample."""
    log_weights = as_array(log_weights, name, finite=False)
    if log_weights.ndim == 0 or log_weights.shape[-1] == 0:
        raise ValueError(f"{name} must be a non-empty array of shape [n] (or [..., n]), got {log_weights.shape}")
    if np.any(log_weights == np.inf):
        raise ValueError(f"{name} contains +inf")
    if np.any(np.all(log_weights == -np.inf, axis=-1)):
        raise ValueError(f"{name}: every weight of a sample is zero (all entries are -inf)")
    return log_weights
