"""Right values, but the policy exp(Q - V) forgets to divide by the temperature."""

# Edits to the solution's function: each (old, new) pair replaces text that occurs exactly once in it.
EDITS = [
    ('    policy = np.exp((q - v[:, None]) / temperature)\n    return q, v, policy\n',
     '    return q, v, np.exp(q - v[:, None])\n'),
]
