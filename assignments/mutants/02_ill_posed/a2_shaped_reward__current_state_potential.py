"""Uses Phi of the current state in place of the expected next potential."""

def shaped_reward(mdp, reward, potential):
    return reward + (mdp.discount - 1.0) * potential[:, None]
