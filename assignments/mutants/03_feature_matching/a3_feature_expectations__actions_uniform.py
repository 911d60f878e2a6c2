"""For state-action features, averages over actions instead of weighting by the policy."""

# Edits to the solution's function: each (old, new) pair replaces text that occurs exactly once in it.
EDITS = [
    ('        D[t + 1] = np.einsum("s,sa,sat->t", D[t], policy[t], mdp.transitions)\n',
     '        D[t + 1] = np.einsum("s,sa,sat->t", D[t], policy[t], mdp.transitions)\n\n'),
    ('    if features.ndim == 2:\n        return gammas @ D @ features\n    return np.einsum("t,ts,tsa,saf->f", gammas, D, policy, features)\n',
     '    if features.ndim == 3:\n        features = features.mean(axis=1)\n    return gammas @ D @ features\n'),
]
