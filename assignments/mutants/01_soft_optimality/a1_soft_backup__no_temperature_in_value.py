"""Drops the temperature from the soft maximum: V = log sum exp Q."""

def soft_backup(mdp, reward, v_next, temperature=1.0):
    q = reward + mdp.discount * np.einsum("sat,t->sa", mdp.transitions, v_next)
    v = logsumexp(q, axis=1)
    return q, v, np.exp(q - v[:, None])
