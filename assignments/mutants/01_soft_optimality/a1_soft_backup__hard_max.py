"""The hard Bellman backup: V = max_a Q and a greedy policy."""

# Edits to the solution's function: each (old, new) pair replaces text that occurs exactly once in it.
EDITS = [
    ('    v = temperature * logsumexp(q / temperature, axis=1)\n    policy = np.exp((q - v[:, None]) / temperature)\n    return q, v, policy\n',
     '    v = q.max(axis=1)\n    return q, v, (q == v[:, None]).astype(float)\n'),
]
