"""Discounts the demonstrated counts but not the expected ones."""

# Edits to the solution's function: each (old, new) pair replaces text that occurs exactly once in it.
EDITS = [
    ('    expected = gammas @ D @ features\n',
     '    expected = D.sum(axis=0) @ features\n'),
]
