"""Forgets to normalise the tilted dynamics over s'."""

# Edits to the solution's function: each (old, new) pair replaces text that occurs exactly once in it.
EDITS = [
    ('        tilted = np.exp(log_tilted - logsumexp(log_tilted, axis=2, keepdims=True))\n',
     '        tilted = np.exp(log_tilted - log_tilted.max())\n'),
]
