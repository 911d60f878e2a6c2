"""Off by one in time: row t holds the distribution after t + 1 steps (p0 is never stored)."""

def visitation(mdp, policy):
    D = np.empty((mdp.horizon, mdp.n_states))
    d = mdp.initial
    for t in range(mdp.horizon):
        d = np.einsum("s,sa,sat->t", d, policy[t], mdp.transitions)
        D[t] = d
    return D
