"""Follows the non-causal policy through the true dynamics P instead of the tilted ones."""

def noncausal_visitation(mdp, reward):
    plan = irlbook.soft_value_iteration(mdp, reward, causal=False)
    P = mdp.transitions
    D = np.empty((mdp.horizon, mdp.n_states))
    D[0] = mdp.initial
    for t in range(mdp.horizon - 1):
        tilted = P
        D[t + 1] = np.einsum("s,sa,sat->t", D[t], plan.policy[t], tilted)
    return D
