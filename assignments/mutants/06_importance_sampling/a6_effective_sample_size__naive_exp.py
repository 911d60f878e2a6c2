"""Computes the sums from np.exp(log_weights) directly."""

def effective_sample_size_of(log_weights):
    w = np.exp(np.asarray(log_weights, dtype=float))
    return float(w.sum() ** 2 / (w ** 2).sum())
