"""Forgets the discount gamma^t."""

def policy_feature_expectations(mdp, policy, features):
    T, S = mdp.horizon, mdp.n_states
    D = np.empty((T, S))
    D[0] = mdp.initial
    for t in range(T - 1):
        D[t + 1] = np.einsum("s,sa,sat->t", D[t], policy[t], mdp.transitions)

    if features.ndim == 2:
        return D.sum(axis=0) @ features
    return np.einsum("ts,tsa,saf->f", D, policy, features)
