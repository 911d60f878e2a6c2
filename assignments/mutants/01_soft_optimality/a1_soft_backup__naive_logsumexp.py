"""Log-sum-exp without the max shift: np.exp overflows for large rewards at small temperatures."""

# Edits to the solution's function: each (old, new) pair replaces text that occurs exactly once in it.
EDITS = [
    ('    v = temperature * logsumexp(q / temperature, axis=1)\n    policy = np.exp((q - v[:, None]) / temperature)\n',
     '    v = temperature * np.log(np.sum(np.exp(q / temperature), axis=1))\n    policy = np.exp(q / temperature) / np.sum(np.exp(q / temperature), axis=1, keepdims=True)\n'),
]
