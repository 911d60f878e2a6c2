"""Returns primal minus dual as the gap."""

# Edits to the solution's function: each (old, new) pair replaces text that occurs exactly once in it.
EDITS = [
    ('    return dual, primal, dual - primal\n',
     '    return dual, primal, primal - dual\n'),
]
