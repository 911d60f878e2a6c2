"""Off by one in time: the step from t to t + 1 uses the policy of step t + 1."""

def visitation(mdp, policy):
    D = np.empty((mdp.horizon, mdp.n_states))
    D[0] = mdp.initial
    for t in range(mdp.horizon - 1):
        D[t + 1] = np.einsum("s,sa,sat->t", D[t], policy[t + 1], mdp.transitions)
    return D
