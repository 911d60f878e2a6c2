"""Returns ESS / n, the fraction, instead of the ESS."""

def effective_sample_size_of(log_weights):
    log_weights = np.asarray(log_weights, dtype=float)
    w = np.exp(log_weights - log_weights.max())
    return float(w.sum() ** 2 / (w ** 2).sum() / len(w))
