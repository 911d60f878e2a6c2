"""Shifts by the maximum but forgets to divide by the sum."""

# Edits to the solution's function: each (old, new) pair replaces text that occurs exactly once in it.
EDITS = [
    ('    return np.exp(logits - logsumexp(logits))\n',
     '    return np.exp(logits - logits.max())\n'),
]
