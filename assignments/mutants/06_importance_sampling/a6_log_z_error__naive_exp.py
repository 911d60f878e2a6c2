"""Exponentiates the log-weights without the max shift."""

# Edits to the solution's function: each (old, new) pair replaces text that occurs exactly once in it.
EDITS = [
    ('    log_weights = np.asarray(log_weights, dtype=float)\n    n = log_weights.size\n    top = log_weights.max()\n    w = np.exp(log_weights - top)\n',
     '    w = np.exp(np.asarray(log_weights, dtype=float))\n    n = w.size\n'),
    ('    return float(top + np.log(w.mean()) + v / (2 * n)), float(np.sqrt(v / n))\n',
     '    return float(np.log(w.mean()) + v / (2 * n)), float(np.sqrt(v / n))\n'),
]
