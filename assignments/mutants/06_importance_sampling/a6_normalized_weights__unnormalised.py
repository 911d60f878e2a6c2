"""Shifts by the maximum but forgets to divide by the sum."""

def normalized_weights(log_weights):
    log_weights = np.asarray(log_weights, dtype=float)
    return np.exp(log_weights - log_weights.max())
