"""Multiplies by the sampler's probability instead of dividing: log w = R + log pi."""

# Edits to the solution's function: each (old, new) pair replaces text that occurs exactly once in it.
EDITS = [
    ('    log_w = f_tau @ psi - log_pi\n',
     '    log_w = f_tau @ psi + log_pi\n'),
    ('    log_z = float(top + np.log(w.mean()))\n    return log_z, (w / w.sum()) @ f_tau\n',
     '    return float(top + np.log(w.mean())), (w / w.sum()) @ f_tau\n'),
]
