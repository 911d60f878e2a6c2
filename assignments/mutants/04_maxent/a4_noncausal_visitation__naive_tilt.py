"""Tilts with P e^V / sum P e^V directly: e^V overflows for large rewards."""

# Edits to the solution's function: each (old, new) pair replaces text that occurs exactly once in it.
EDITS = [
    ('        with np.errstate(divide="ignore"):\n            log_tilted = np.log(P) + plan.v[t + 1][None, None, :]\n        tilted = np.exp(log_tilted - logsumexp(log_tilted, axis=2, keepdims=True))\n',
     '        tilted = P * np.exp(plan.v[t + 1])[None, None, :]\n        tilted = tilted / tilted.sum(axis=2, keepdims=True)\n'),
]
