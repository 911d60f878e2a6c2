"""Adds q(tau) instead of log q(tau) to the logits."""

# Edits to the solution's function: each (old, new) pair replaces text that occurs exactly once in it.
EDITS = [
    ('    logits = table.log_base + table.features @ weights\n',
     '    logits = np.exp(table.log_base) + table.features @ weights\n'),
]
