"""Regularises the dual with l2 |w|^2 instead of (l2 / 2) |w|^2."""

# Edits to the solution's function: each (old, new) pair replaces text that occurs exactly once in it.
EDITS = [
    ('    dual = float(log_z - weights @ target + 0.5 * l2 * weights @ weights)\n',
     '    dual = float(log_z - weights @ target + l2 * weights @ weights)\n'),
]
