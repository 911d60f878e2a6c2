"""Uses the plain entropy H(p_w) instead of the relative entropy H_q(p_w)."""

# Edits to the solution's function: each (old, new) pair replaces text that occurs exactly once in it.
EDITS = [
    ('    primal = float(-p @ (log_p - table.log_base) - mismatch @ mismatch / (2 * l2))\n',
     '    primal = float(-p @ log_p - mismatch @ mismatch / (2 * l2))\n'),
]
