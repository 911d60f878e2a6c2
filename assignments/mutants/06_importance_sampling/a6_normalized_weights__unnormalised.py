"""Shifts by the maximum but forgets to divide by the sum."""

# Edits to the solution's function: each (old, new) pair replaces text that occurs exactly once in it.
EDITS = [
    ('    shifted = np.exp(log_weights - log_weights.max())\n    return shifted / shifted.sum()\n',
     '    return np.exp(log_weights - log_weights.max())\n'),
]
