"""Treats the policy as stationary: uses policy[0] at every step."""

def visitation(mdp, policy):
    D = np.empty((mdp.horizon, mdp.n_states))
    D[0] = mdp.initial
    for t in range(mdp.horizon - 1):
        D[t + 1] = np.einsum("s,sa,sat->t", D[t], policy[0], mdp.transitions)
    return D
