"""Regularises the dual with l2 |w|^2 instead of (l2 / 2) |w|^2."""

def l2_duality_gap(table, weights, target, l2):
    logits = table.log_base + table.features @ weights
    log_z = logsumexp(logits)
    log_p = logits - log_z
    p = np.exp(log_p)
    mismatch = p @ table.features - target
    dual = float(log_z - weights @ target + l2 * weights @ weights)
    primal = float(-p @ (log_p - table.log_base) - mismatch @ mismatch / (2 * l2))
    return dual, primal, dual - primal
