"""log Z as np.log(np.sum(np.exp(logits))): overflows (inf) for large logits, -inf when all are very negative."""

def dual_objective(table, weights, target):
    unnormalised = np.exp(table.log_base + table.features @ weights)
    z = unnormalised.sum()
    return float(np.log(z) - weights @ target), (unnormalised / z) @ table.features - target
