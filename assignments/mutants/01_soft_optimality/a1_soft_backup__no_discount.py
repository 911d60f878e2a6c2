"""Forgets the discount: Q = r + P V_next."""

# Edits to the solution's function: each (old, new) pair replaces text that occurs exactly once in it.
EDITS = [
    ('    q = reward + mdp.discount * np.einsum("sat,t->sa", mdp.transitions, v_next)\n',
     '    q = reward + np.einsum("sat,t->sa", mdp.transitions, v_next)\n'),
    ('    policy = np.exp((q - v[:, None]) / temperature)\n    return q, v, policy\n',
     '    return q, v, np.exp((q - v[:, None]) / temperature)\n'),
]
