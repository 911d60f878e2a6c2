"""Measures the projection from mu_new instead of mu_bar."""

def projection_step(mu_expert, mu_bar, mu_new):
    step = mu_new - mu_bar
    denominator = step @ step
    alpha = 0.0 if denominator == 0 else float(np.clip(step @ (mu_expert - mu_new) / denominator, 0.0, 1.0))
    return mu_bar + alpha * step, alpha
