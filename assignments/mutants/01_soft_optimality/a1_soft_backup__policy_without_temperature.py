"""Right values, but the policy exp(Q - V) forgets to divide by the temperature."""

def soft_backup(mdp, reward, v_next, temperature=1.0):
    q = reward + mdp.discount * np.einsum("sat,t->sa", mdp.transitions, v_next)
    v = temperature * logsumexp(q / temperature, axis=1)
    return q, v, np.exp(q - v[:, None])
