"""Calls irlbook.state_visitation for the forward pass."""

# Edits to the solution's function: each (old, new) pair replaces text that occurs exactly once in it.
EDITS = [
    ('    D = np.empty((mdp.horizon, mdp.n_states))\n    D[0] = mdp.initial\n    for t in range(mdp.horizon - 1):\n        D[t + 1] = np.einsum("s,sa,sat->t", D[t], policy[t], mdp.transitions)\n    expected = gammas @ D @ features\n    demonstrated = np.einsum("t,ntf->f", gammas, features[demo_states]) / len(demo_states)\n    return demonstrated - expected\n',
     '    expected = gammas @ irlbook.state_visitation(mdp, policy) @ features\n    return np.einsum("t,ntf->f", gammas, features[demo_states]) / len(demo_states) - expected\n'),
]
