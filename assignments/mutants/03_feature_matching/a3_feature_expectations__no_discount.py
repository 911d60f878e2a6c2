"""Forgets the discount gamma^t."""

# Edits to the solution's function: each (old, new) pair replaces text that occurs exactly once in it.
EDITS = [
    ('    gammas = mdp.discount ** np.arange(T)\n',
     '\n'),
    ('        return gammas @ D @ features\n    return np.einsum("t,ts,tsa,saf->f", gammas, D, policy, features)\n',
     '        return D.sum(axis=0) @ features\n    return np.einsum("ts,tsa,saf->f", D, policy, features)\n'),
]
