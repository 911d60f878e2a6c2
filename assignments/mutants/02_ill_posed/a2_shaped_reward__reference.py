"""Calls irlbook.core.shaping.shaped_reward instead of writing it."""

def shaped_reward(mdp, reward, potential):
    import irlbook.core.shaping
    return irlbook.core.shaping.shaped_reward(mdp, reward, potential)
