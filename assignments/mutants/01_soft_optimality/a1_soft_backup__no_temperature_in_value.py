"""Drops the temperature from the soft maximum: V = log sum exp Q."""

# Edits to the solution's function: each (old, new) pair replaces text that occurs exactly once in it.
EDITS = [
    ('    v = temperature * logsumexp(q / temperature, axis=1)\n    policy = np.exp((q - v[:, None]) / temperature)\n    return q, v, policy\n',
     '    v = logsumexp(q, axis=1)\n    return q, v, np.exp(q - v[:, None])\n'),
]
