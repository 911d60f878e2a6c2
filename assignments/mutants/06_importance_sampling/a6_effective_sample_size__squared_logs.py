"""Takes log(w^2) as (log w)^2 in the log-space version."""

# Edits to the solution's function: each (old, new) pair replaces text that occurs exactly once in it.
EDITS = [
    ('    w = np.exp(log_weights - log_weights.max())\n    return float(w.sum() ** 2 / (w ** 2).sum())\n',
     '    def lse(x):\n        top = x.max()\n        return top + np.log(np.exp(x - top).sum())\n    return float(np.exp(2 * lse(log_weights) - lse(log_weights ** 2)))\n'),
]
