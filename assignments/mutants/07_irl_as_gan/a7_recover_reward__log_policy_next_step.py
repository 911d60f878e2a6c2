"""Off by one in time: the right-hand side is log pi_{t+1}."""

# Edits to the solution's function: each (old, new) pair replaces text that occurs exactly once in it.
EDITS = [
    ('    solution = np.linalg.lstsq(M.reshape(n, -1), log_policy[:-1].reshape(n), rcond=None)[0]\n',
     '    solution = np.linalg.lstsq(M.reshape(n, -1), log_policy[1:].reshape(n), rcond=None)[0]\n'),
]
