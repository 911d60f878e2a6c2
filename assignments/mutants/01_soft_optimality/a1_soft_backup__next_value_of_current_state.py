"""Uses V_next of the current state instead of the expectation over successors."""

# Edits to the solution's function: each (old, new) pair replaces text that occurs exactly once in it.
EDITS = [
    ('    q = reward + mdp.discount * np.einsum("sat,t->sa", mdp.transitions, v_next)\n',
     '    q = reward + mdp.discount * v_next[:, None]\n'),
    ('    policy = np.exp((q - v[:, None]) / temperature)\n    return q, v, policy\n',
     '    return q, v, np.exp((q - v[:, None]) / temperature)\n'),
]
