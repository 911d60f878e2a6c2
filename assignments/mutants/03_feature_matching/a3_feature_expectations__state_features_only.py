"""Handles only state features: state-action features are summed over actions."""

# Edits to the solution's function: each (old, new) pair replaces text that occurs exactly once in it.
EDITS = [
    ('        D[t + 1] = np.einsum("s,sa,sat->t", D[t], policy[t], mdp.transitions)\n',
     '        D[t + 1] = np.einsum("s,sa,sat->t", D[t], policy[t], mdp.transitions)\n\n'),
    ('    if features.ndim == 2:\n        return gammas @ D @ features\n    return np.einsum("t,ts,tsa,saf->f", gammas, D, policy, features)\n',
     '    if features.ndim == 3:\n        features = features.sum(axis=1)\n    return gammas @ D @ features\n'),
]
