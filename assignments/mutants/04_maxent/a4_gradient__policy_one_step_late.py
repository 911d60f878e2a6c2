"""Off by one in time in the forward pass."""

# Edits to the solution's function: each (old, new) pair replaces text that occurs exactly once in it.
EDITS = [
    ('        D[t + 1] = np.einsum("s,sa,sat->t", D[t], policy[t], mdp.transitions)\n',
     '        D[t + 1] = np.einsum("s,sa,sat->t", D[t], policy[min(t + 1, mdp.horizon - 1)], mdp.transitions)\n'),
]
