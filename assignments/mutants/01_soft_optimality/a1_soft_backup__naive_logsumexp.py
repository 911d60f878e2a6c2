"""Log-sum-exp without the max shift: np.exp overflows for large rewards at small temperatures."""

def soft_backup(mdp, reward, v_next, temperature=1.0):
    q = reward + mdp.discount * np.einsum("sat,t->sa", mdp.transitions, v_next)
    v = temperature * np.log(np.sum(np.exp(q / temperature), axis=1))
    policy = np.exp(q / temperature) / np.sum(np.exp(q / temperature), axis=1, keepdims=True)
    return q, v, policy
