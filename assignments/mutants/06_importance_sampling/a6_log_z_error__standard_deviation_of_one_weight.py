"""Reports sqrt(v), the spread of one normalised weight, not of the mean of n."""

# Edits to the solution's function: each (old, new) pair replaces text that occurs exactly once in it.
EDITS = [
    ('    return float(top + np.log(w.mean()) + v / (2 * n)), float(np.sqrt(v / n))\n',
     '    return float(top + np.log(w.mean()) + v / (2 * n)), float(np.sqrt(v))\n'),
]
