"""Multiplies by the sampler's probability instead of dividing: log w = R + log pi."""

def importance_estimates(mdp, features, psi, policy, states, actions):
    T = mdp.horizon
    per_step = features[states] if features.ndim == 2 else features[states, actions]
    f_tau = np.einsum("t,ntf->nf", mdp.discount ** np.arange(T), per_step)
    log_pi = np.log(policy[np.arange(T)[None, :], states, actions]).sum(axis=1)
    log_w = f_tau @ psi + log_pi
    top = log_w.max()
    w = np.exp(log_w - top)
    return float(top + np.log(w.mean())), (w / w.sum()) @ f_tau
