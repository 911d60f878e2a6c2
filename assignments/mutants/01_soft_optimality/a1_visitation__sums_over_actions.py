"""Forgets the policy weights: sums P over actions, so the mass grows by A per step."""

def visitation(mdp, policy):
    D = np.empty((mdp.horizon, mdp.n_states))
    D[0] = mdp.initial
    for t in range(mdp.horizon - 1):
        D[t + 1] = D[t] @ mdp.transitions.sum(axis=1)
    return D
