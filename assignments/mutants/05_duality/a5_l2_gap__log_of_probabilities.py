"""Computes the entropy from np.log(p): 0 * log 0 = NaN once a probability underflows."""

# Edits to the solution's function: each (old, new) pair replaces text that occurs exactly once in it.
EDITS = [
    ('    primal = float(-p @ (log_p - table.log_base) - mismatch @ mismatch / (2 * l2))\n',
     '    primal = float(-p @ (np.log(p) - table.log_base) - mismatch @ mismatch / (2 * l2))\n'),
]
