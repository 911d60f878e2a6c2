"""Adds w . target instead of subtracting it."""

# Edits to the solution's function: each (old, new) pair replaces text that occurs exactly once in it.
EDITS = [
    ('    p = np.exp(logits - log_z)\n    return float(log_z - weights @ target), p @ table.features - target\n',
     '    return float(log_z + weights @ target), np.exp(logits - log_z) @ table.features - target\n'),
]
