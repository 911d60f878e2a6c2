"""Subtracts the smallest log-weight instead of the largest: overflows, and -inf gives NaN."""

def normalized_weights(log_weights):
    log_weights = np.asarray(log_weights, dtype=float)
    w = np.exp(log_weights - log_weights.min())
    return w / w.sum()
