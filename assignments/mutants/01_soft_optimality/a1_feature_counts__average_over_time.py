"""Averages over time instead of summing."""

# Edits to the solution's function: each (old, new) pair replaces text that occurs exactly once in it.
EDITS = [
    ('    return gammas @ visitation(mdp, policy) @ features\n',
     '    return gammas @ visitation(mdp, policy) @ features / mdp.horizon\n'),
]
