"""Clips alpha at 1 but lets it go negative."""

def projection_step(mu_expert, mu_bar, mu_new):
    step = mu_new - mu_bar
    denominator = step @ step
    alpha = 0.0 if denominator == 0 else float(min(step @ (mu_expert - mu_bar) / denominator, 1.0))
    return mu_bar + alpha * step, alpha
