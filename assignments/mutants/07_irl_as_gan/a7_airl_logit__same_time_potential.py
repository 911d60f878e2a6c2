"""Off by one in time: uses h_t(s') instead of h_{t+1}(s')."""

# Edits to the solution's function: each (old, new) pair replaces text that occurs exactly once in it.
EDITS = [
    ('    next_h = h[1:][:, next_states]\n',
     '    next_h = h[:-1][:, next_states]\n'),
]
