"""Uses e^{-w f}: the sign convention of an energy instead of a reward."""

# Edits to the solution's function: each (old, new) pair replaces text that occurs exactly once in it.
EDITS = [
    ('    logits = table.log_base + table.features @ weights\n',
     '    logits = table.log_base - table.features @ weights\n'),
]
