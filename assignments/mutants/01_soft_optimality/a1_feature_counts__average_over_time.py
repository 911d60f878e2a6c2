"""Averages over time instead of summing."""

def expected_features(mdp, policy, features):
    gammas = mdp.discount ** np.arange(mdp.horizon)
    return gammas @ visitation(mdp, policy) @ features / mdp.horizon
