"""Follows the non-causal policy through the true dynamics P instead of the tilted ones."""

# Edits to the solution's function: each (old, new) pair replaces text that occurs exactly once in it.
EDITS = [
    ('        with np.errstate(divide="ignore"):\n            log_tilted = np.log(P) + plan.v[t + 1][None, None, :]\n        tilted = np.exp(log_tilted - logsumexp(log_tilted, axis=2, keepdims=True))\n',
     '        tilted = P\n'),
]
