"""Subtracts the smallest log-weight instead of the largest: overflows, and -inf gives NaN."""

# Edits to the solution's function: each (old, new) pair replaces text that occurs exactly once in it.
EDITS = [
    ('    shifted = np.exp(log_weights - log_weights.max())\n    return shifted / shifted.sum()\n',
     '    w = np.exp(log_weights - log_weights.min())\n    return w / w.sum()\n'),
]
