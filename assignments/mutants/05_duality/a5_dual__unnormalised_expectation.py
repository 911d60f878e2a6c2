"""Forgets to normalise p_w in the gradient: sum_tau q e^{w f} f instead of its mean."""

def dual_objective(table, weights, target):
    logits = table.log_base + table.features @ weights
    return float(logsumexp(logits) - weights @ target), np.exp(logits) @ table.features - target
