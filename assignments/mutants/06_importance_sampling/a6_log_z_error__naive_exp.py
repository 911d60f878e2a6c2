"""Exponentiates the log-weights without the max shift."""

def log_z_with_error(log_weights):
    w = np.exp(np.asarray(log_weights, dtype=float))
    n = w.size
    v = n * (w @ w) / w.sum() ** 2 - 1.0
    return float(np.log(w.mean()) + v / (2 * n)), float(np.sqrt(v / n))
