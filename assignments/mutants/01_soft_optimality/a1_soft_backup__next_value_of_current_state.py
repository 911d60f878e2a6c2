"""Uses V_next of the current state instead of the expectation over successors."""

def soft_backup(mdp, reward, v_next, temperature=1.0):
    q = reward + mdp.discount * v_next[:, None]
    v = temperature * logsumexp(q / temperature, axis=1)
    return q, v, np.exp((q - v[:, None]) / temperature)
