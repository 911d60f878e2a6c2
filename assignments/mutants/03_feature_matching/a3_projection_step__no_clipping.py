"""Projects on the whole line: alpha is not clipped to [0, 1]."""

def projection_step(mu_expert, mu_bar, mu_new):
    step = mu_new - mu_bar
    denominator = step @ step
    alpha = 0.0 if denominator == 0 else float(step @ (mu_expert - mu_bar) / denominator)
    return mu_bar + alpha * step, alpha
