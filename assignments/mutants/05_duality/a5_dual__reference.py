"""Calls irlbook.tabular.maxent.maxent_objective on a rebuilt MDP (needs the MDP, so it reads it from the notebook)."""

def dual_objective(table, weights, target):
    from irlbook.tabular.maxent import maxent_objective
    value, gradient, *_ = maxent_objective(mdp, features, weights, target, causal=False)
    return float(value), gradient
