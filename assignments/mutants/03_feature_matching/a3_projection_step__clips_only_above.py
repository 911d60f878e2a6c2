"""Clips alpha at 1 but lets it go negative."""

# Edits to the solution's function: each (old, new) pair replaces text that occurs exactly once in it.
EDITS = [
    ('    alpha = 0.0 if denominator == 0 else float(np.clip(step @ (mu_expert - mu_bar) / denominator, 0.0, 1.0))\n',
     '    alpha = 0.0 if denominator == 0 else float(min(step @ (mu_expert - mu_bar) / denominator, 1.0))\n'),
]
