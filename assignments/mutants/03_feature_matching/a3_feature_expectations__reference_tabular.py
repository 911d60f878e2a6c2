"""Calls irlbook.tabular.feature_expectations instead of writing the forward pass."""

def policy_feature_expectations(mdp, policy, features):
    from irlbook.tabular import feature_expectations
    return feature_expectations(mdp, features, policy)
