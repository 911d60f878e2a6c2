"""Computes the sums from np.exp(log_weights) directly."""

# Edits to the solution's function: each (old, new) pair replaces text that occurs exactly once in it.
EDITS = [
    ('    log_weights = np.asarray(log_weights, dtype=float)\n    w = np.exp(log_weights - log_weights.max())\n',
     '    w = np.exp(np.asarray(log_weights, dtype=float))\n'),
]
