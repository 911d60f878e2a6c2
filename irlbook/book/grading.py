"""Helpers for the autograder tests of the course assignments (``assignments/``).

The tests compare a student's function with ``irlbook``'s own implementation on
small random MDPs. Two helpers keep those tests short and their failures readable:

* :func:`random_mdp` draws a small :class:`~irlbook.TabularMDP` from a seed;
* :func:`check_array` compares an answer with the reference and raises an
  ``AssertionError`` whose message says what is wrong (not implemented, wrong
  shape, NaN, or how far off), which is what a student sees from ``grader.check``;
* :func:`without_references` wraps a student's function so that, while it runs,
  the library functions the question asks the student to write raise instead of
  answering (the tests still call them outside the student's function).
"""

from __future__ import annotations

import contextlib
import functools

import numpy as np

from ..core.mdp import TabularMDP


def random_mdp(n_states: int = 5, n_actions: int = 3, horizon: int = 4, discount: float = 1.0,
               seed=0, deterministic: bool = False, n_successors: int | None = None) -> TabularMDP:
    """A random :class:`TabularMDP` for tests.

    ``deterministic``: each ``(s, a)`` has one successor. Otherwise each ``(s, a)`` has
    ``n_successors`` successors (all states when ``None``) with Dirichlet(1) probabilities.
    The initial distribution is Dirichlet(1) over all states.
    """
    if n_states < 1 or n_actions < 1:
        raise ValueError(f"n_states and n_actions must be >= 1, got {n_states}, {n_actions}")
    rng = np.random.default_rng(seed)
    transitions = np.zeros((n_states, n_actions, n_states))
    k = 1 if deterministic else (n_states if n_successors is None else int(n_successors))
    if not 1 <= k <= n_states:
        raise ValueError(f"n_successors must lie in [1, {n_states}], got {n_successors}")
    for s in range(n_states):
        for a in range(n_actions):
            successors = rng.choice(n_states, size=k, replace=False)
            transitions[s, a, successors] = 1.0 if k == 1 else rng.dirichlet(np.ones(k))
    initial = rng.dirichlet(np.ones(n_states))
    return TabularMDP(transitions, initial, horizon, discount)


def check_array(name: str, actual, expected, atol: float = 1e-8, rtol: float = 1e-8) -> None:
    """Raise ``AssertionError`` with a readable message unless ``actual`` matches ``expected``.

    ``name`` describes the value (e.g. ``"soft_backup(...)[0], the Q-values"``).
    """
    expected = np.asarray(expected, dtype=np.float64)
    if actual is None or actual is Ellipsis:
        raise AssertionError(f"{name} is None: the function is not implemented yet (it must return "
                             f"an array of shape {expected.shape})")
    try:
        actual = np.asarray(actual, dtype=np.float64)
    except (TypeError, ValueError):
        raise AssertionError(f"{name} must be a numeric array of shape {expected.shape}, "
                             f"got {type(actual).__name__}") from None
    if actual.shape != expected.shape:
        raise AssertionError(f"{name} has shape {actual.shape}, expected {expected.shape}")
    if not np.all(np.isfinite(actual)):
        raise AssertionError(f"{name} contains NaN or inf (is a log-sum-exp missing its max shift?)")
    error = np.abs(actual - expected)
    bound = atol + rtol * np.abs(expected)
    if np.any(error > bound):
        worst = np.unravel_index(np.argmax(error - bound), error.shape)
        raise AssertionError(
            f"{name} is wrong: at index {tuple(int(i) for i in worst)} it is {float(actual[worst]):.10g}, "
            f"expected {float(expected[worst]):.10g} (max abs error {float(error.max()):.3g})")


def check_tuple(name: str, answer, length: int) -> tuple:
    """Return ``answer`` if it is a tuple of ``length`` items, else raise a readable ``AssertionError``."""
    if answer is None or answer is Ellipsis:
        raise AssertionError(f"{name} returned None: the function is not implemented yet (it must return "
                             f"a tuple of {length} arrays)")
    if not isinstance(answer, tuple) or len(answer) != length:
        raise AssertionError(f"{name} must return a tuple of {length} arrays, got {type(answer).__name__}")
    return answer


def require_function(name: str, function) -> None:
    """Raise ``AssertionError`` unless ``function`` (looked up by the grader as ``name``) is callable."""
    if function is None:
        raise AssertionError(f"no function named {name} was defined: run the cell that defines it, "
                             f"and keep its name and signature")
    if not callable(function):
        raise AssertionError(f"{name} must be a function, got {type(function).__name__}")


@functools.cache
def _raising_code(function):
    """A code object with no free variables that raises, naming ``function`` (cached: answers run many times)."""
    name = f"{function.__module__}.{function.__qualname__}"
    message = (f"your answer called {name}, the library's reference implementation: this question asks you to "
               f"write it yourself")
    namespace: dict = {}
    exec(f"def reference_disabled(*args, **kwargs):\n    raise AssertionError({message!r})", namespace)
    return namespace["reference_disabled"].__code__


@contextlib.contextmanager
def references_disabled(*functions):
    """Within the block, calling any of ``functions`` raises ``AssertionError``, however it was imported.

    The functions' code objects are swapped (and restored on exit), so a name bound by
    ``from module import function`` before the block is disabled too.
    """
    saved = []
    try:
        for function in functions:
            function = getattr(function, "__func__", function)
            if not hasattr(function, "__code__") or function.__code__.co_freevars:
                raise TypeError(f"cannot disable {function!r}: not a plain Python function")
            saved.append((function, function.__code__))
            function.__code__ = _raising_code(function)
        yield
    finally:
        for function, code in reversed(saved):
            function.__code__ = code


def without_references(function, *references):
    """``function`` (a student's answer), wrapped so that the ``references`` raise while it runs.

    ``None`` (an undefined answer) is returned unchanged, for :func:`require_function` to report.
    """
    if function is None or not callable(function):
        return function

    @functools.wraps(function)
    def guarded(*args, **kwargs):
        with references_disabled(*references):
            return function(*args, **kwargs)

    return guarded


def module_functions(module) -> list:
    """The plain Python functions defined in ``module`` (not imported into it), for :func:`without_references`."""
    import inspect

    return [value for _, value in inspect.getmembers(module, inspect.isfunction)
            if value.__module__ == module.__name__ and not value.__code__.co_freevars]
