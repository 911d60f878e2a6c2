"""Forgets to normalise the tilted dynamics over s'."""

def noncausal_visitation(mdp, reward):
    plan = irlbook.soft_value_iteration(mdp, reward, causal=False)
    P = mdp.transitions
    D = np.empty((mdp.horizon, mdp.n_states))
    D[0] = mdp.initial
    for t in range(mdp.horizon - 1):
        with np.errstate(divide="ignore"):
            log_tilted = np.log(P) + plan.v[t + 1][None, None, :]
        tilted = np.exp(log_tilted - log_tilted.max())
        D[t + 1] = np.einsum("s,sa,sat->t", D[t], plan.policy[t], tilted)
    return D
