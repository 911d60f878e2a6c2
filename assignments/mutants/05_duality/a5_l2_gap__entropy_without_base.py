"""Uses the plain entropy H(p_w) instead of the relative entropy H_q(p_w)."""

def l2_duality_gap(table, weights, target, l2):
    logits = table.log_base + table.features @ weights
    log_z = logsumexp(logits)
    log_p = logits - log_z
    p = np.exp(log_p)
    mismatch = p @ table.features - target
    dual = float(log_z - weights @ target + 0.5 * l2 * weights @ weights)
    primal = float(-p @ log_p - mismatch @ mismatch / (2 * l2))
    return dual, primal, dual - primal
