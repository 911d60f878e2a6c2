"""Reports sqrt(v), the spread of one normalised weight, not of the mean of n."""

def log_z_with_error(log_weights):
    log_weights = np.asarray(log_weights, dtype=float)
    n = log_weights.size
    top = log_weights.max()
    w = np.exp(log_weights - top)
    v = n * (w @ w) / w.sum() ** 2 - 1.0
    return float(top + np.log(w.mean()) + v / (2 * n)), float(np.sqrt(v))
