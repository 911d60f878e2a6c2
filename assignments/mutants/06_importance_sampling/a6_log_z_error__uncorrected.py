"""Returns the plain log of the mean weight: biased low by v / (2n)."""

def log_z_with_error(log_weights):
    log_weights = np.asarray(log_weights, dtype=float)
    n = log_weights.size
    top = log_weights.max()
    w = np.exp(log_weights - top)
    v = n * (w @ w) / w.sum() ** 2 - 1.0
    return float(top + np.log(w.mean())), float(np.sqrt(v / n))
