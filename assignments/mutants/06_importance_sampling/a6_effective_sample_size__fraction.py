"""Returns ESS / n, the fraction, instead of the ESS."""

# Edits to the solution's function: each (old, new) pair replaces text that occurs exactly once in it.
EDITS = [
    ('    return float(w.sum() ** 2 / (w ** 2).sum())\n',
     '    return float(w.sum() ** 2 / (w ** 2).sum() / len(w))\n'),
]
