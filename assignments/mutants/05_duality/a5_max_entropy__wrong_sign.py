"""Uses e^{-w f}: the sign convention of an energy instead of a reward."""

def max_entropy_distribution(table, weights):
    logits = table.log_base - table.features @ weights
    return np.exp(logits - logsumexp(logits))
