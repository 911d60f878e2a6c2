"""Calls irlbook.state_visitation instead of writing the forward pass."""

def visitation(mdp, policy):
    return irlbook.state_visitation(mdp, policy)
