"""Treats the policy as stationary: uses policy[0] at every step."""

# Edits to the solution's function: each (old, new) pair replaces text that occurs exactly once in it.
EDITS = [
    ('        D[t + 1] = np.einsum("s,sa,sat->t", D[t], policy[t], mdp.transitions)\n',
     '        D[t + 1] = np.einsum("s,sa,sat->t", D[t], policy[0], mdp.transitions)\n'),
]
