"""Returns f, GAN-GCL's energy, without subtracting log pi."""

# Edits to the solution's function: each (old, new) pair replaces text that occurs exactly once in it.
EDITS = [
    ('    return f - log_policy[:-1, :, :, None]\n',
     '    return f - 0.0\n'),
]
