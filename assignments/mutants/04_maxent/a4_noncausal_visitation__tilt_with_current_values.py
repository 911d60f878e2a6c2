"""Off by one in time: tilts with V_t instead of V_{t+1}."""

def noncausal_visitation(mdp, reward):
    plan = irlbook.soft_value_iteration(mdp, reward, causal=False)
    P = mdp.transitions
    D = np.empty((mdp.horizon, mdp.n_states))
    D[0] = mdp.initial
    for t in range(mdp.horizon - 1):
        with np.errstate(divide="ignore"):
            log_tilted = np.log(P) + plan.v[t][None, None, :]
        tilted = np.exp(log_tilted - logsumexp(log_tilted, axis=2, keepdims=True))
        D[t + 1] = np.einsum("s,sa,sat->t", D[t], plan.policy[t], tilted)
    return D
