"""Averages f(tau) over the samples without the importance weights."""

def importance_estimates(mdp, features, psi, policy, states, actions):
    T = mdp.horizon
    per_step = features[states] if features.ndim == 2 else features[states, actions]
    f_tau = np.einsum("t,ntf->nf", mdp.discount ** np.arange(T), per_step)
    log_w = f_tau @ psi - np.log(policy[np.arange(T)[None, :], states, actions]).sum(axis=1)
    top = log_w.max()
    return float(top + np.log(np.exp(log_w - top).mean())), f_tau.mean(axis=0)
