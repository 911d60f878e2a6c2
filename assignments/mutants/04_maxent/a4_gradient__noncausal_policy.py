"""Plans with the non-causal backup (causal=False) where the causal model is asked."""

# Edits to the solution's function: each (old, new) pair replaces text that occurs exactly once in it.
EDITS = [
    ('    policy = irlbook.soft_value_iteration(mdp, features @ weights).policy\n',
     '    policy = irlbook.soft_value_iteration(mdp, features @ weights, causal=False).policy\n'),
]
