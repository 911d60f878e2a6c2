"""Sums the features over time without the discount."""

# Edits to the solution's function: each (old, new) pair replaces text that occurs exactly once in it.
EDITS = [
    ('    f_tau = np.einsum("t,ntf->nf", mdp.discount ** np.arange(T), per_step)\n',
     '    f_tau = np.einsum("t,ntf->nf", np.ones(T), per_step)\n'),
    ('    log_z = float(top + np.log(w.mean()))\n    return log_z, (w / w.sum()) @ f_tau\n',
     '    return float(top + np.log(w.mean())), (w / w.sum()) @ f_tau\n'),
]
