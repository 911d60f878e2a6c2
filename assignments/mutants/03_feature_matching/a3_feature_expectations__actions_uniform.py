"""For state-action features, averages over actions instead of weighting by the policy."""

def policy_feature_expectations(mdp, policy, features):
    T, S = mdp.horizon, mdp.n_states
    D = np.empty((T, S))
    D[0] = mdp.initial
    for t in range(T - 1):
        D[t + 1] = np.einsum("s,sa,sat->t", D[t], policy[t], mdp.transitions)

    gammas = mdp.discount ** np.arange(T)
    if features.ndim == 3:
        features = features.mean(axis=1)
    return gammas @ D @ features
