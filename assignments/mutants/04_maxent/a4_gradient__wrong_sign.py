"""Returns expected minus demonstrated counts (the dual's gradient, not the likelihood's)."""

# Edits to the solution's function: each (old, new) pair replaces text that occurs exactly once in it.
EDITS = [
    ('    return demonstrated - expected\n',
     '    return expected - demonstrated\n'),
]
