"""Takes log(w^2) as (log w)^2 in the log-space version."""

def effective_sample_size_of(log_weights):
    log_weights = np.asarray(log_weights, dtype=float)
    def lse(x):
        top = x.max()
        return top + np.log(np.exp(x - top).sum())
    return float(np.exp(2 * lse(log_weights) - lse(log_weights ** 2)))
