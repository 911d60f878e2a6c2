"""Forgets the discount: sums the visitation over time unweighted."""

def expected_features(mdp, policy, features):
    return visitation(mdp, policy).sum(axis=0) @ features
