"""Divides by |mu_new - mu_bar| instead of its square."""

# Edits to the solution's function: each (old, new) pair replaces text that occurs exactly once in it.
EDITS = [
    ('    denominator = step @ step\n    alpha = 0.0 if denominator == 0 else float(np.clip(step @ (mu_expert - mu_bar) / denominator, 0.0, 1.0))\n',
     '    length = np.linalg.norm(step)\n    alpha = 0.0 if length == 0 else float(np.clip(step @ (mu_expert - mu_bar) / length, 0.0, 1.0))\n'),
]
