"""Off by one in time: row t holds the distribution after t + 1 steps (p0 is never stored)."""

# Edits to the solution's function: each (old, new) pair replaces text that occurs exactly once in it.
EDITS = [
    ('    D[0] = mdp.initial\n    for t in range(mdp.horizon - 1):\n        D[t + 1] = np.einsum("s,sa,sat->t", D[t], policy[t], mdp.transitions)\n',
     '    d = mdp.initial\n    for t in range(mdp.horizon):\n        d = np.einsum("s,sa,sat->t", d, policy[t], mdp.transitions)\n        D[t] = d\n'),
]
