"""Adds q(tau) instead of log q(tau) to the logits."""

def max_entropy_distribution(table, weights):
    logits = np.exp(table.log_base) + table.features @ weights
    return np.exp(logits - logsumexp(logits))
