"""Tilts with P e^V / sum P e^V directly: e^V overflows for large rewards."""

def noncausal_visitation(mdp, reward):
    plan = irlbook.soft_value_iteration(mdp, reward, causal=False)
    P = mdp.transitions
    D = np.empty((mdp.horizon, mdp.n_states))
    D[0] = mdp.initial
    for t in range(mdp.horizon - 1):
        tilted = P * np.exp(plan.v[t + 1])[None, None, :]
        tilted = tilted / tilted.sum(axis=2, keepdims=True)
        D[t + 1] = np.einsum("s,sa,sat->t", D[t], plan.policy[t], tilted)
    return D
