"""Off by one in the discount: weights step t by gamma^(t+1)."""

def expected_features(mdp, policy, features):
    gammas = mdp.discount ** np.arange(1, mdp.horizon + 1)
    return gammas @ visitation(mdp, policy) @ features
