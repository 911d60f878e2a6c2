"""Forgets the policy weights: sums P over actions, so the mass grows by A per step."""

# Edits to the solution's function: each (old, new) pair replaces text that occurs exactly once in it.
EDITS = [
    ('        D[t + 1] = np.einsum("s,sa,sat->t", D[t], policy[t], mdp.transitions)\n',
     '        D[t + 1] = D[t] @ mdp.transitions.sum(axis=1)\n'),
]
