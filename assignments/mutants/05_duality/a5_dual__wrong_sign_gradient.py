"""Returns the gradient with the wrong sign, target - E_p[f]."""

def dual_objective(table, weights, target):
    logits = table.log_base + table.features @ weights
    log_z = logsumexp(logits)
    return float(log_z - weights @ target), target - np.exp(logits - log_z) @ table.features
