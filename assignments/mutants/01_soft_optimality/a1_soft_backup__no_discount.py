"""Forgets the discount: Q = r + P V_next."""

def soft_backup(mdp, reward, v_next, temperature=1.0):
    q = reward + np.einsum("sat,t->sa", mdp.transitions, v_next)
    v = temperature * logsumexp(q / temperature, axis=1)
    return q, v, np.exp((q - v[:, None]) / temperature)
