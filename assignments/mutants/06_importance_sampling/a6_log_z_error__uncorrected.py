"""Returns the plain log of the mean weight: biased low by v / (2n)."""

# Edits to the solution's function: each (old, new) pair replaces text that occurs exactly once in it.
EDITS = [
    ('    return float(top + np.log(w.mean()) + v / (2 * n)), float(np.sqrt(v / n))\n',
     '    return float(top + np.log(w.mean())), float(np.sqrt(v / n))\n'),
]
