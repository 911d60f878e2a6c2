"""Exponentiates the log-weights without the max shift."""

def normalized_weights(log_weights):
    w = np.exp(np.asarray(log_weights, dtype=float))
    return w / w.sum()
