"""Off by one in the discount: weights step t by gamma^(t+1)."""

# Edits to the solution's function: each (old, new) pair replaces text that occurs exactly once in it.
EDITS = [
    ('    gammas = mdp.discount ** np.arange(mdp.horizon)\n',
     '    gammas = mdp.discount ** np.arange(1, mdp.horizon + 1)\n'),
]
