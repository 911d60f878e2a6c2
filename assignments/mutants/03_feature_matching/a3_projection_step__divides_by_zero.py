"""No guard for mu_new = mu_bar: alpha = 0/0 = NaN."""

# Edits to the solution's function: each (old, new) pair replaces text that occurs exactly once in it.
EDITS = [
    ('    denominator = step @ step\n    alpha = 0.0 if denominator == 0 else float(np.clip(step @ (mu_expert - mu_bar) / denominator, 0.0, 1.0))\n',
     '    with np.errstate(invalid="ignore", divide="ignore"):\n        alpha = float(np.clip(step @ (mu_expert - mu_bar) / (step @ step), 0.0, 1.0))\n'),
]
