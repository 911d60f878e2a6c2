"""Demonstrations: the one way every IRL algorithm in the library receives expert data.

Two kinds, one type:

tabular
    ``states`` and ``actions``, integer arrays [n, T]: ``n`` trajectories of ``T`` steps
    ``s_0, a_0, ..., s_{T-1}, a_{T-1}`` of a :class:`~irlbook.core.mdp.TabularMDP`.
    ``actions`` may be absent when only state features are needed.
continuous
    ``observations`` [n, T, d], ``actions`` [n, T, ...] (float, or integers for a
    discrete action space), ``next_observations`` [n, T, d] and ``terminals`` [n, T]
    (True where the transition ended the episode), as collected from a gymnasium
    environment.

Everything computed from demonstrations -- empirical feature counts, occupancies, flat
transition batches -- is computed here, once.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..validation import (
    as_array,
    as_bounded_array,
    as_index_array,
    check_bool,
    check_discount,
    check_instance,
    check_policy,
    check_positive_int,
    check_seed,
    check_size,
)
from .mdp import TabularMDP, check_mdp

_NO_LIMIT = np.iinfo(np.int64).max     # index arrays checked before the number of states is known


@dataclass(frozen=True, eq=False)
class Demonstrations:
    """Expert trajectories, tabular or continuous (see the module docstring for the shapes).

    Build one with :meth:`tabular`, :meth:`continuous`, :meth:`from_rollouts`, :meth:`sample`
    or :meth:`load`; the constructors validate, so a ``Demonstrations`` is always consistent.
    """

    states: np.ndarray | None = None
    actions: np.ndarray | None = None
    observations: np.ndarray | None = None
    next_observations: np.ndarray | None = None
    terminals: np.ndarray | None = None

    # ------------------------------------------------------------------ constructors
    @classmethod
    def tabular(cls, states, actions=None, n_states: int | None = None, n_actions: int | None = None
                ) -> Demonstrations:
        """Tabular demonstrations from integer ``states`` [n, T] and optional ``actions`` [n, T]."""
        n_states = _NO_LIMIT if n_states is None else check_positive_int(n_states, "n_states")
        n_actions = _NO_LIMIT if n_actions is None else check_positive_int(n_actions, "n_actions")
        states = as_index_array(states, "states", n_states, ndim=2)
        if actions is not None:
            actions = as_index_array(actions, "actions", n_actions, shape=states.shape)
        return cls(states=states, actions=actions)

    @classmethod
    def continuous(cls, observations, actions, next_observations=None, terminals=None,
                   discrete: bool = False) -> Demonstrations:
        """Continuous demonstrations.

        ``observations`` is [n, T, d] with ``next_observations`` [n, T, d], or [n, T+1, d] with
        ``next_observations=None`` (a whole observed trajectory). ``actions`` is [n, T, act_dim], or
        integer [n, T] with ``discrete=True``. ``terminals`` [n, T] defaults to all False.
        """
        observations = as_array(observations, "observations", ndim=3)
        discrete = check_bool(discrete, "discrete")
        if next_observations is None:
            if observations.shape[1] < 2:
                raise ValueError("observations must have shape [n, T+1, d] with T >= 1 when next_observations "
                                 f"is not given, got {observations.shape}")
            observations, next_observations = observations[:, :-1], observations[:, 1:]
        else:
            next_observations = as_array(next_observations, "next_observations", shape=observations.shape)
        n, T = observations.shape[:2]
        if discrete:
            actions = as_index_array(actions, "actions", _NO_LIMIT, shape=(n, T))
        else:
            actions = as_array(actions, "actions", ndim=3)
            if actions.shape[:2] != (n, T):
                raise ValueError(f"actions must have shape [n, T, act_dim] = [{n}, {T}, *], got {actions.shape}")
        if terminals is None:
            terminals = np.zeros((n, T), dtype=bool)
        else:
            terminals = as_bounded_array(terminals, "terminals", low=0.0, high=1.0, shape=(n, T))
            if not np.all((terminals == 0) | (terminals == 1)):
                raise ValueError("terminals must hold booleans (0 or 1)")
            terminals = terminals.astype(bool)
        return cls(actions=actions, observations=observations, next_observations=next_observations,
                   terminals=terminals)

    @classmethod
    def from_rollouts(cls, rollouts: dict, discrete: bool | None = None) -> Demonstrations:
        """From a rollout dict with ``states`` [n, T+1, d] and ``actions`` [n, T, ...] (as returned by
        :meth:`irlbook.deep.sac.SAC.rollout`), optionally ``terminals`` [n, T]."""
        check_instance(rollouts, dict, "rollouts")
        if "states" not in rollouts or "actions" not in rollouts:
            raise ValueError("rollouts must be a dict with 'states' [n, T+1, d] and 'actions' [n, T, ...]")
        actions = np.asarray(rollouts["actions"])
        if discrete is not None:
            discrete = check_bool(discrete, "discrete")
        else:
            discrete = np.issubdtype(actions.dtype, np.integer) and actions.ndim == 2
        return cls.continuous(rollouts["states"], actions, terminals=rollouts.get("terminals"), discrete=discrete)

    @classmethod
    def sample(cls, mdp: TabularMDP, policy, n: int, seed=None) -> Demonstrations:
        """``n`` trajectories of ``policy`` [T, S, A] in ``mdp`` (see :func:`sample_trajectories`)."""
        states, actions = sample_trajectories(mdp, policy, n, seed)
        return cls(states=states, actions=actions)

    @classmethod
    def load(cls, path) -> Demonstrations:
        """Read demonstrations written by :meth:`save` (an ``.npz`` file); a missing file raises
        ``FileNotFoundError`` naming it."""
        path = Path(path)
        if not path.is_file():
            raise FileNotFoundError(f"no demonstrations file at {path}")
        with np.load(path) as data:
            arrays = {key: data[key] for key in data.files}
        if "states" in arrays and arrays["states"].ndim == 2:
            return cls.tabular(arrays["states"], arrays.get("actions"))
        if "observations" in arrays:
            actions = arrays["actions"]
            return cls.continuous(arrays["observations"], actions, arrays.get("next_observations"),
                                  arrays.get("terminals"), discrete=np.issubdtype(actions.dtype, np.integer))
        if "states" in arrays:               # rollout layout: states [n, T+1, d]
            return cls.from_rollouts(arrays)
        raise ValueError(f"{path} holds no demonstrations (keys {sorted(arrays)})")

    def save(self, path) -> Path:
        """Write the arrays to ``path`` (``.npz``)."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        arrays = {k: v for k, v in vars(self).items() if v is not None}
        np.savez_compressed(path, **arrays)
        return path

    # ------------------------------------------------------------------ shape
    @property
    def kind(self) -> str:
        """``"tabular"`` or ``"continuous"``."""
        return "tabular" if self.states is not None else "continuous"

    @property
    def n_trajectories(self) -> int:
        return len(self.states if self.states is not None else self.observations)

    @property
    def horizon(self) -> int:
        """Steps per trajectory, ``T``."""
        return (self.states if self.states is not None else self.observations).shape[1]

    def __len__(self) -> int:
        return self.n_trajectories

    def __repr__(self) -> str:
        if self.kind == "tabular":
            return (f"Demonstrations(tabular, n={self.n_trajectories}, T={self.horizon}, "
                    f"actions={'yes' if self.actions is not None else 'no'})")
        return (f"Demonstrations(continuous, n={self.n_trajectories}, T={self.horizon}, "
                f"obs_dim={self.observations.shape[2]}, actions {self.actions.shape[2:] or 'discrete'})")

    # ------------------------------------------------------------------ tabular views
    def check(self, mdp: TabularMDP, need_actions: bool = False, name: str = "demos",
              names: tuple[str, str] | None = None) -> Demonstrations:
        """Check tabular demonstrations against ``mdp``: one column per time step, states and actions
        in range, actions present if ``need_actions``. Messages name ``names`` (default
        ``name.states``, ``name.actions``)."""
        check_mdp(mdp)
        states_name, actions_name = names or (f"{name}.states", f"{name}.actions")
        if self.kind != "tabular":
            raise ValueError(f"{name} must be tabular demonstrations (integer states) for a TabularMDP")
        if self.states.shape[1] != mdp.horizon:
            raise ValueError(f"{states_name} must have one column per time step: shape [n, T = {mdp.horizon}], "
                             f"got {self.states.shape}")
        as_index_array(self.states, states_name, mdp.n_states)
        if self.actions is not None:
            as_index_array(self.actions, actions_name, mdp.n_actions)
        elif need_actions:
            raise ValueError(f"{actions_name} are required here (state-action features or an action-based loss)")
        return self

    def state_occupancy(self, n_states: int) -> np.ndarray:
        """Empirical state visitation [T, S]: the fraction of trajectories in ``s`` at step ``t``."""
        n, T = self._tabular().shape
        n_states = check_positive_int(n_states, "n_states")
        states = as_index_array(self.states, "demos.states", n_states)
        occupancy = np.zeros(check_size((T, n_states), "state_occupancy"))
        np.add.at(occupancy, (np.broadcast_to(np.arange(T), (n, T)), states), 1.0 / n)
        return occupancy

    def occupancy(self, n_states: int, n_actions: int) -> np.ndarray:
        """Empirical state-action visitation [T, S, A]; requires actions."""
        n, T = self._tabular().shape
        if self.actions is None:
            raise ValueError("demos must include actions for a state-action occupancy")
        n_states = check_positive_int(n_states, "n_states")
        n_actions = check_positive_int(n_actions, "n_actions")
        states = as_index_array(self.states, "demos.states", n_states)
        actions = as_index_array(self.actions, "demos.actions", n_actions)
        occupancy = np.zeros(check_size((T, n_states, n_actions), "occupancy"))
        np.add.at(occupancy, (np.broadcast_to(np.arange(T), (n, T)), states, actions), 1.0 / n)
        return occupancy

    def feature_counts(self, features, discount: float = 1.0) -> np.ndarray:
        """Average discounted feature counts ``(1/n) sum_i sum_t gamma^t f(s_t[, a_t])``, shape [F]."""
        self._tabular()
        return empirical_feature_counts(features, self.states, self.actions, discount)

    def _tabular(self) -> np.ndarray:
        if self.kind != "tabular":
            raise ValueError("this needs tabular demonstrations (integer states)")
        return self.states

    # ------------------------------------------------------------------ continuous views
    def transitions(self) -> dict:
        """Flat transition batch of continuous demonstrations: ``obs`` [n*T, d], ``actions`` [n*T, ...],
        ``next_obs`` [n*T, d], ``terminated`` [n*T] (float32 arrays; int64 discrete actions)."""
        if self.kind != "continuous":
            raise ValueError("transitions() needs continuous demonstrations")
        n, T, d = self.observations.shape
        actions = self.actions
        actions = actions.reshape(n * T, *actions.shape[2:])
        return {"obs": self.observations.reshape(n * T, d).astype(np.float32),
                "actions": actions if np.issubdtype(actions.dtype, np.integer) else actions.astype(np.float32),
                "next_obs": self.next_observations.reshape(n * T, d).astype(np.float32),
                "terminated": self.terminals.reshape(n * T).astype(np.float32)}

    def trajectory_observations(self) -> np.ndarray:
        """Observations ``o_0 .. o_T`` of each trajectory, [n, T+1, d]."""
        if self.kind != "continuous":
            raise ValueError("trajectory_observations() needs continuous demonstrations")
        return np.concatenate([self.observations, self.next_observations[:, -1:]], axis=1)


def as_demonstrations(demos, actions=None, name: str = "demos", actions_name: str = "actions") -> Demonstrations:
    """A :class:`Demonstrations` from itself or from integer ``(states [n, T], actions [n, T] | None)``;
    messages name ``name`` (the states) and ``actions_name``."""
    if isinstance(demos, Demonstrations):
        if actions is not None:
            raise ValueError(f"pass actions inside {name}, not separately, when {name} is a Demonstrations")
        return demos
    states = as_index_array(demos, name, _NO_LIMIT, ndim=2)
    if actions is not None:
        actions = as_index_array(actions, actions_name, _NO_LIMIT, shape=states.shape)
    return Demonstrations(states=states, actions=actions)


def check_demos(mdp: TabularMDP, demos, demo_actions=None, need_actions: bool = False,
                name: str = "demos", arrays: bool = True) -> Demonstrations:
    """``demos`` (a :class:`Demonstrations`, or integer ``demo_states`` [n, T] with ``demo_actions``)
    checked against ``mdp``: one column per time step, indices in range, actions present if
    ``need_actions``. The one entry check of every tabular algorithm.

    Messages name ``demo_states``/``demo_actions`` when arrays were passed, ``demos.states``/``demos.actions``
    for a :class:`Demonstrations`. With ``arrays=False`` only a :class:`Demonstrations` is accepted.
    """
    if not arrays:
        check_instance(demos, Demonstrations, name)
    if isinstance(demos, Demonstrations):
        names = (f"{name}.states", f"{name}.actions")
        demos = as_demonstrations(demos, demo_actions, name)
    else:
        names = ("demo_states", "demo_actions")
        demos = as_demonstrations(demos, demo_actions, "demo_states", "demo_actions")
    return demos.check(mdp, need_actions=need_actions, name=name, names=names)


def _features_along(features, states, actions, name: str = "features"):
    """``f(s_t[, a_t])`` along integer trajectories, [n, T, F], with the arguments checked."""
    features = as_array(features, name, ndim=(2, 3))
    states = as_index_array(states, "states", features.shape[0], ndim=2)
    if features.ndim == 2:
        if actions is not None:        # unused by state features, but checked like any index array
            as_index_array(actions, "actions", _NO_LIMIT, shape=states.shape)
        return features[states], states
    if actions is None:
        raise ValueError(f"actions are required for state-action {name} [S, A, F]")
    actions = as_index_array(actions, "actions", features.shape[1], shape=states.shape)
    return features[states, actions], states


def trajectory_feature_counts(features, states, actions=None, discount: float = 1.0) -> np.ndarray:
    """Discounted feature counts of each trajectory, ``f(tau_i) = sum_t gamma^t f(s_t^i[, a_t^i])``, [n, F].

    features : [S, F] or [S, A, F];  states, actions : int [n, T] (actions needed for [S, A, F]).
    """
    discount = check_discount(discount)
    per_step, states = _features_along(features, states, actions)
    return np.einsum("t,ntf->nf", discount ** np.arange(states.shape[1]), per_step)


def empirical_feature_counts(features, states, actions=None, discount: float = 1.0) -> np.ndarray:
    """Average discounted feature counts of integer trajectories, shape [F].

    features : [S, F] or [S, A, F];  states, actions : int [n, T] (actions needed for [S, A, F]).
    ``(1/n) sum_i sum_t gamma^t f(s_t^i[, a_t^i])`` -- the quantity MaxEnt IRL matches. The one
    place the library computes it from data (:func:`irlbook.expected_feature_counts` is the model side).
    """
    discount = check_discount(discount)
    per_step, states = _features_along(features, states, actions)
    gammas = discount ** np.arange(states.shape[1])
    return np.einsum("t,ntf->f", gammas, per_step) / states.shape[0]


def subsample(demos: Demonstrations, n: int, seed=None) -> Demonstrations:
    """``n`` trajectories drawn without replacement (all of them when ``n >= len(demos)``)."""
    check_instance(demos, Demonstrations, "demos")
    n = check_positive_int(n, "n")
    seed = check_seed(seed)
    if n >= len(demos):
        return demos
    index = np.sort(np.random.default_rng(seed).choice(len(demos), size=n, replace=False))
    return Demonstrations(**{k: (v[index] if v is not None else None) for k, v in vars(demos).items()})


def sample_trajectories(mdp: TabularMDP, policy, n: int, seed=None) -> tuple[np.ndarray, np.ndarray]:
    """Sample ``n`` trajectories of length ``T`` from ``policy`` [T, S, A] (or [S, A]), vectorised over
    trajectories; ``s_0 ~ mdp.initial``.

    Returns ``(states, actions)``, both int arrays of shape [n, T].
    """
    check_mdp(mdp)
    policy = check_policy(mdp, policy)
    n = check_positive_int(n, "n")
    check_size((n, mdp.horizon), "n, with trajectories of shape [n, T],")
    rng = np.random.default_rng(check_seed(seed))
    T = mdp.horizon
    states = np.empty((n, T), dtype=np.int64)
    actions = np.empty((n, T), dtype=np.int64)
    states[:, 0] = rng.choice(mdp.n_states, size=n, p=mdp.initial)
    for t in range(T):
        cumulative = np.cumsum(policy[t, states[:, t]], axis=1)
        u = rng.random((n, 1)) * cumulative[:, -1:]
        actions[:, t] = np.minimum((cumulative <= u).sum(axis=1), mdp.n_actions - 1)
        if t + 1 < T:
            states[:, t + 1] = mdp.sample_next(states[:, t], actions[:, t], rng)
    return states, actions
