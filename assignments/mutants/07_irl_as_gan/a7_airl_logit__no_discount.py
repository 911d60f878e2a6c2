"""Forgets the discount on the next potential."""

# Edits to the solution's function: each (old, new) pair replaces text that occurs exactly once in it.
EDITS = [
    ('    f = g[None, :, None, None] + discount * next_h - h[:-1][:, :, None, None]\n',
     '    f = g[None, :, None, None] + 1.0 * next_h - h[:-1][:, :, None, None]\n'),
]
