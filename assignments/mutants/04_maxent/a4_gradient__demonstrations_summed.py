"""Sums the demonstrations' counts instead of averaging them."""

# Edits to the solution's function: each (old, new) pair replaces text that occurs exactly once in it.
EDITS = [
    ('    demonstrated = np.einsum("t,ntf->f", gammas, features[demo_states]) / len(demo_states)\n',
     '    demonstrated = np.einsum("t,ntf->f", gammas, features[demo_states])\n'),
]
