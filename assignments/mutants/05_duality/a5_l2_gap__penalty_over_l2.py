"""Penalises the primal by |E_p f - f~|^2 / l2, without the factor 1/2."""

# Edits to the solution's function: each (old, new) pair replaces text that occurs exactly once in it.
EDITS = [
    ('    primal = float(-p @ (log_p - table.log_base) - mismatch @ mismatch / (2 * l2))\n',
     '    primal = float(-p @ (log_p - table.log_base) - mismatch @ mismatch / l2)\n'),
]
