"""Forgets the discount on h_{t+1}."""

# Edits to the solution's function: each (old, new) pair replaces text that occurs exactly once in it.
EDITS = [
    ('        M[t, s, a, S + (t + 1) * S + delta] += mdp.discount\n',
     '        M[t, s, a, S + (t + 1) * S + delta] += 1.0\n'),
]
