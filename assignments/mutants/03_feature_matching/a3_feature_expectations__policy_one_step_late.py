"""Off by one in time: the forward step from t uses the policy of step t + 1."""

def policy_feature_expectations(mdp, policy, features):
    T, S = mdp.horizon, mdp.n_states
    D = np.empty((T, S))
    D[0] = mdp.initial
    for t in range(T - 1):
        D[t + 1] = np.einsum("s,sa,sat->t", D[t], policy[t + 1], mdp.transitions)

    gammas = mdp.discount ** np.arange(T)
    if features.ndim == 2:
        return gammas @ D @ features
    return np.einsum("t,ts,tsa,saf->f", gammas, D, policy, features)
