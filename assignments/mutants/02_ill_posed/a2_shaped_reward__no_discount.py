"""Forgets the discount on the next state's potential."""

def shaped_reward(mdp, reward, potential):
    return reward + mdp.transitions @ potential - potential[:, None]
