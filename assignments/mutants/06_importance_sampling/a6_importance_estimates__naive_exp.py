"""Exponentiates the log-weights without the max shift."""

def importance_estimates(mdp, features, psi, policy, states, actions):
    T = mdp.horizon
    per_step = features[states] if features.ndim == 2 else features[states, actions]
    f_tau = np.einsum("t,ntf->nf", mdp.discount ** np.arange(T), per_step)
    log_pi = np.log(policy[np.arange(T)[None, :], states, actions]).sum(axis=1)
    w = np.exp(f_tau @ psi - log_pi)
    return float(np.log(w.mean())), (w / w.sum()) @ f_tau
