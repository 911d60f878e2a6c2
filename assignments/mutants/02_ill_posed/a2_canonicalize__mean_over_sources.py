"""Takes m(x) as the mean over sources and actions, E[R(S, A, x)], instead of E[R(x, A, S')]."""

def canonicalize(reward, discount):
    m = reward.mean(axis=(0, 1))
    return reward + discount * m[None, None, :] - m[:, None, None] - discount * m.mean()
