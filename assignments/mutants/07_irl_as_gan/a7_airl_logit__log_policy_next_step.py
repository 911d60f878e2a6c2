"""Off by one in time: subtracts log pi_{t+1} instead of log pi_t."""

# Edits to the solution's function: each (old, new) pair replaces text that occurs exactly once in it.
EDITS = [
    ('    return f - log_policy[:-1, :, :, None]\n',
     '    return f - log_policy[1:, :, :, None]\n'),
]
