"""Divides by |mu_new - mu_bar| instead of its square."""

def projection_step(mu_expert, mu_bar, mu_new):
    step = mu_new - mu_bar
    length = np.linalg.norm(step)
    alpha = 0.0 if length == 0 else float(np.clip(step @ (mu_expert - mu_bar) / length, 0.0, 1.0))
    return mu_bar + alpha * step, alpha
