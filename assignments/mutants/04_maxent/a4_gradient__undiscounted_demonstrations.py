"""Discounts the expected counts but not the demonstrated ones."""

# Edits to the solution's function: each (old, new) pair replaces text that occurs exactly once in it.
EDITS = [
    ('    demonstrated = np.einsum("t,ntf->f", gammas, features[demo_states]) / len(demo_states)\n',
     '    demonstrated = features[demo_states].sum(axis=1).mean(axis=0)\n'),
]
