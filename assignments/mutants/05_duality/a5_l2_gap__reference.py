"""Solves the regularised primal with irlbook.core.duality.solve_max_entropy and reports its value."""

def l2_duality_gap(table, weights, target, l2):
    from irlbook.core.duality import solve_max_entropy
    value = solve_max_entropy(table, target, l2=l2).value
    logits = table.log_base + table.features @ weights
    dual = float(logsumexp(logits) - weights @ target + 0.5 * l2 * weights @ weights)
    return dual, value, dual - value
