"""Calls irlbook.tabular.maxent.maxent_objective and flips its gradient."""

def maxent_gradient(mdp, features, weights, demo_states):
    from irlbook.tabular.maxent import maxent_objective
    counts = irlbook.empirical_feature_counts(features, demo_states, discount=mdp.discount)
    return -maxent_objective(mdp, features, weights, counts)[1]
