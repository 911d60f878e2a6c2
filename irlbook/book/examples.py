"""Two tiny examples of chapter 4: label bias and the gamble.

Label bias (Ziebart et al. 2008, section 4). Three routes of equal reward leave
a start node: one behind the first action, two behind the second. A model over
*whole routes* (MaxEnt) gives each route probability 1/3. A *locally
normalised* action model that scores actions by the hard optimal Q-value gives
the first action 1/2 (both actions lead to equally good routes) and splits the
second half between the two routes behind it: 1/2, 1/4, 1/4. Normalising by the
soft Q-value (the causal MaxEnt policy) restores 1/3 each: ``Q_soft`` counts how
many good routes lie behind an action, ``Q_hard`` only how good the best is.

The gamble (Ziebart 2010). From the start state the agent either walks to a
safe state (reward 0) or gambles: with probability ``p`` it lands in a lucky
state (reward ``+r_win``), otherwise in an unlucky one (reward ``-r_lose``). The
causal model values the gamble by ``E[V]``, the non-causal one by ``log E[exp V]``,
which is close to the lucky branch's value when that is large: it acts as if it
could choose the lucky outcome.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..core.mdp import TabularMDP


# ------------------------------------------------------------------ label bias
@dataclass(frozen=True)
class RouteTree:
    """A deterministic decision tree: ``children[node]`` lists the nodes its actions reach.

    Nodes without children are route ends. ``reward[node]`` is collected on entering
    ``node`` (the root's reward is collected by every route and cancels).
    """

    children: dict
    reward: dict
    root: object = "start"

    def routes(self) -> list[tuple]:
        """Every root-to-leaf route, as a tuple of nodes, in depth-first order."""
        out = []

        def walk(node, path):
            kids = self.children.get(node, ())
            if not kids:
                out.append(path)
            for child in kids:
                walk(child, path + (child,))

        walk(self.root, (self.root,))
        return out

    def route_return(self, route) -> float:
        return float(sum(self.reward.get(node, 0.0) for node in route[1:]))


def label_bias_tree(reward_single: float = 0.0, reward_pair: float = 0.0) -> RouteTree:
    """Ziebart 2008's label-bias example: route A behind action 1, routes B and C behind action 2."""
    return RouteTree(
        children={"start": ("a", "b"), "a": ("A",), "b": ("B", "C")},
        reward={"A": reward_single, "B": reward_pair, "C": reward_pair},
    )


def route_maxent_probabilities(tree: RouteTree) -> np.ndarray:
    """MaxEnt over whole routes: ``p(route) = exp(R(route)) / sum exp(R)``, in ``tree.routes()`` order."""
    returns = np.array([tree.route_return(r) for r in tree.routes()])
    weights = np.exp(returns - returns.max())
    return weights / weights.sum()


def route_local_probabilities(tree: RouteTree, soft: bool) -> np.ndarray:
    """Route probabilities of a locally normalised action model.

    At every node, ``pi(child) = exp(Q(child)) / sum_children exp(Q)`` with
    ``Q(child) = reward(child) + V(child)`` and ``V`` the hard maximum over routes
    below (``soft=False``: a Boltzmann model over hard Q) or their log-sum-exp
    (``soft=True``: the causal MaxEnt policy). Route probability = product of the
    action probabilities along it.
    """
    def value(node):
        kids = tree.children.get(node, ())
        if not kids:
            return 0.0
        qs = np.array([tree.reward.get(c, 0.0) + value(c) for c in kids])
        return float(qs.max() + np.log(np.exp(qs - qs.max()).sum())) if soft else float(qs.max())

    probabilities = []
    for route in tree.routes():
        p = 1.0
        for node, nxt in zip(route[:-1], route[1:], strict=True):
            kids = tree.children[node]
            qs = np.array([tree.reward.get(c, 0.0) + value(c) for c in kids])
            local = np.exp(qs - qs.max())
            p *= local[kids.index(nxt)] / local.sum()
        probabilities.append(p)
    return np.array(probabilities)


# -------------------------------------------------------------------- gamble
SAFE, GAMBLE = 0, 1  # actions in the start state


def gamble_mdp(p_win: float = 0.1, horizon: int = 2) -> TabularMDP:
    """The gamble MDP (discount 1).

    States: 0 start, 1 safe, 2 lucky, 3 unlucky; states 1-3 are absorbing.
    In the start state action 0 (``SAFE``) goes to the safe state; action 1
    (``GAMBLE``) goes to the lucky state with probability ``p_win``, else to the
    unlucky one. Pair it with :func:`gamble_reward`.
    """
    if not (0.0 < p_win < 1.0):
        raise ValueError(f"p_win must lie strictly between 0 and 1, got {p_win}")
    P = np.zeros((4, 2, 4))
    P[0, SAFE, 1] = 1.0
    P[0, GAMBLE, 2] = p_win
    P[0, GAMBLE, 3] = 1.0 - p_win
    for s in (1, 2, 3):
        P[s, :, s] = 1.0
    return TabularMDP(P, np.eye(4)[0], horizon, discount=1.0)


def gamble_reward(win: float = 5.0, lose: float = 5.0) -> np.ndarray:
    """State reward [4]: 0 at start and safe, ``+win`` lucky, ``-lose`` unlucky."""
    return np.array([0.0, 0.0, win, -lose])


def gamble_features() -> np.ndarray:
    """One-hot state features [4, 4] (so any state reward is linear in them)."""
    return np.eye(4)
