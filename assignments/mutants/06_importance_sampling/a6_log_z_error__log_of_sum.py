"""Forgets the 1/n of the mean: log sum w instead of log mean w."""

# Edits to the solution's function: each (old, new) pair replaces text that occurs exactly once in it.
EDITS = [
    ('    return float(top + np.log(w.mean()) + v / (2 * n)), float(np.sqrt(v / n))\n',
     '    return float(top + np.log(w.sum()) + v / (2 * n)), float(np.sqrt(v / n))\n'),
]
