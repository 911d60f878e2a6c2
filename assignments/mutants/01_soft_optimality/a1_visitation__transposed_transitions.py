"""Reads P[s, a, s'] with the source and target states swapped."""

def visitation(mdp, policy):
    D = np.empty((mdp.horizon, mdp.n_states))
    D[0] = mdp.initial
    for t in range(mdp.horizon - 1):
        D[t + 1] = np.einsum("s,sa,tas->t", D[t], policy[t], mdp.transitions)
    return D
