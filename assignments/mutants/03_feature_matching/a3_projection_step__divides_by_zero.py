"""No guard for mu_new = mu_bar: alpha = 0/0 = NaN."""

def projection_step(mu_expert, mu_bar, mu_new):
    step = mu_new - mu_bar
    with np.errstate(invalid="ignore", divide="ignore"):
        alpha = float(np.clip(step @ (mu_expert - mu_bar) / (step @ step), 0.0, 1.0))
    return mu_bar + alpha * step, alpha
