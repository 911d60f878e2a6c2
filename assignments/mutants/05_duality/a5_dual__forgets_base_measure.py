"""Drops the dynamics' weights log q(tau) from the logits (right only for deterministic dynamics)."""

# Edits to the solution's function: each (old, new) pair replaces text that occurs exactly once in it.
EDITS = [
    ('    logits = table.log_base + table.features @ weights\n',
     '    logits = table.features @ weights\n'),
    ('    p = np.exp(logits - log_z)\n    return float(log_z - weights @ target), p @ table.features - target\n',
     '    return float(log_z - weights @ target), np.exp(logits - log_z) @ table.features - target\n'),
]
