"""Projects on the whole line: alpha is not clipped to [0, 1]."""

# Edits to the solution's function: each (old, new) pair replaces text that occurs exactly once in it.
EDITS = [
    ('    alpha = 0.0 if denominator == 0 else float(np.clip(step @ (mu_expert - mu_bar) / denominator, 0.0, 1.0))\n',
     '    alpha = 0.0 if denominator == 0 else float(step @ (mu_expert - mu_bar) / denominator)\n'),
]
