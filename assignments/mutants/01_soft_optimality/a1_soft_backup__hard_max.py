"""The hard Bellman backup: V = max_a Q and a greedy policy."""

def soft_backup(mdp, reward, v_next, temperature=1.0):
    q = reward + mdp.discount * np.einsum("sat,t->sa", mdp.transitions, v_next)
    v = q.max(axis=1)
    return q, v, (q == v[:, None]).astype(float)
