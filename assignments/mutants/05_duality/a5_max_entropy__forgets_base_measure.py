"""Drops log q(tau): the uniform base measure in place of the dynamics'."""

def max_entropy_distribution(table, weights):
    logits = table.features @ weights
    return np.exp(logits - logsumexp(logits))
