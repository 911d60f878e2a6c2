"""Calls irlbook.tabular.maxent.noncausal_visitation instead of writing it."""

def noncausal_visitation(mdp, reward):
    from irlbook.tabular.maxent import noncausal_visitation as model_visitation
    return model_visitation(mdp, irlbook.soft_value_iteration(mdp, reward, causal=False))
