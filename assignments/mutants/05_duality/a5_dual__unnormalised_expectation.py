"""Forgets to normalise p_w in the gradient: sum_tau q e^{w f} f instead of its mean."""

# Edits to the solution's function: each (old, new) pair replaces text that occurs exactly once in it.
EDITS = [
    ('    log_z = logsumexp(logits)\n    p = np.exp(logits - log_z)\n    return float(log_z - weights @ target), p @ table.features - target\n',
     '    return float(logsumexp(logits) - weights @ target), np.exp(logits) @ table.features - target\n'),
]
