"""Divides by the dynamics too (log w = R - log pi - log q), which the target also contains."""

# Edits to the solution's function: each (old, new) pair replaces text that occurs exactly once in it.
EDITS = [
    ('    log_w = f_tau @ psi - log_pi\n',
     '    log_w = f_tau @ psi - log_pi - np.log(mdp.initial[states[:, 0]]) - np.log(mdp.transitions[states[:, :-1], actions[:, :-1], states[:, 1:]]).sum(axis=1)\n'),
    ('    log_z = float(top + np.log(w.mean()))\n    return log_z, (w / w.sum()) @ f_tau\n',
     '    return float(top + np.log(w.mean())), (w / w.sum()) @ f_tau\n'),
]
