"""Normalises np.exp(logits) directly: NaN once a logit exceeds ~709."""

def max_entropy_distribution(table, weights):
    unnormalised = np.exp(table.log_base + table.features @ weights)
    return unnormalised / unnormalised.sum()
