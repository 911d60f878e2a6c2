"""Averages f(tau) over the samples without the importance weights."""

# Edits to the solution's function: each (old, new) pair replaces text that occurs exactly once in it.
EDITS = [
    ('    log_pi = np.log(policy[np.arange(T)[None, :], states, actions]).sum(axis=1)\n    log_w = f_tau @ psi - log_pi\n',
     '    log_w = f_tau @ psi - np.log(policy[np.arange(T)[None, :], states, actions]).sum(axis=1)\n'),
    ('    w = np.exp(log_w - top)\n    log_z = float(top + np.log(w.mean()))\n    return log_z, (w / w.sum()) @ f_tau\n',
     '    return float(top + np.log(np.exp(log_w - top).mean())), f_tau.mean(axis=0)\n'),
]
