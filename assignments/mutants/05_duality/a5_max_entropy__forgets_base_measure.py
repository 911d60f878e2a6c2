"""Drops log q(tau): the uniform base measure in place of the dynamics'."""

# Edits to the solution's function: each (old, new) pair replaces text that occurs exactly once in it.
EDITS = [
    ('    logits = table.log_base + table.features @ weights\n',
     '    logits = table.features @ weights\n'),
]
