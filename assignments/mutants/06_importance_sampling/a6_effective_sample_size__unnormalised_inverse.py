"""Uses 1 / sum w^2 with w not normalised (only shifted)."""

# Edits to the solution's function: each (old, new) pair replaces text that occurs exactly once in it.
EDITS = [
    ('    return float(w.sum() ** 2 / (w ** 2).sum())\n',
     '    return float(1.0 / (w ** 2).sum())\n'),
]
