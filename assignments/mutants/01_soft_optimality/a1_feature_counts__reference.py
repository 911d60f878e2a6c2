"""Calls irlbook.expected_feature_counts instead of using its own visitation."""

def expected_features(mdp, policy, features):
    return irlbook.expected_feature_counts(mdp, policy, features)
