"""Off by one in time: the forward step from t uses the policy of step t + 1."""

# Edits to the solution's function: each (old, new) pair replaces text that occurs exactly once in it.
EDITS = [
    ('        D[t + 1] = np.einsum("s,sa,sat->t", D[t], policy[t], mdp.transitions)\n',
     '        D[t + 1] = np.einsum("s,sa,sat->t", D[t], policy[t + 1], mdp.transitions)\n\n'),
]
