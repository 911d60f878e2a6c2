"""Exponentiates the log-weights without the max shift."""

# Edits to the solution's function: each (old, new) pair replaces text that occurs exactly once in it.
EDITS = [
    ('    log_w = f_tau @ psi - log_pi\n    top = log_w.max()\n    w = np.exp(log_w - top)\n    log_z = float(top + np.log(w.mean()))\n    return log_z, (w / w.sum()) @ f_tau\n',
     '    w = np.exp(f_tau @ psi - log_pi)\n    return float(np.log(w.mean())), (w / w.sum()) @ f_tau\n'),
]
