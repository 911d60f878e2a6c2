"""Uses 1 / sum w^2 with w not normalised (only shifted)."""

def effective_sample_size_of(log_weights):
    log_weights = np.asarray(log_weights, dtype=float)
    w = np.exp(log_weights - log_weights.max())
    return float(1.0 / (w ** 2).sum())
