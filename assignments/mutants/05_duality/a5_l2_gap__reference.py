"""Solves the regularised primal with irlbook.core.duality.solve_max_entropy and reports its value."""

# Edits to the solution's function: each (old, new) pair replaces text that occurs exactly once in it.
EDITS = [
    ('    """(g_l2(psi), P_l2(p_psi), gap) of L2-regularised maximum entropy, stable for any logits."""\n',
     '    """(g_l2(psi), P_l2(p_psi), gap) of L2-regularised maximum entropy, stable for any logits."""\n    from irlbook.core.duality import solve_max_entropy\n    value = solve_max_entropy(table, target, l2=l2).value\n'),
    ('    log_z = logsumexp(logits)\n    log_p = logits - log_z\n    p = np.exp(log_p)\n    mismatch = p @ table.features - target\n    dual = float(log_z - weights @ target + 0.5 * l2 * weights @ weights)\n    primal = float(-p @ (log_p - table.log_base) - mismatch @ mismatch / (2 * l2))\n    return dual, primal, dual - primal\n',
     '    dual = float(logsumexp(logits) - weights @ target + 0.5 * l2 * weights @ weights)\n    return dual, value, dual - value\n'),
]
