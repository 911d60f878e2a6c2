"""Off by one in time: tilts with V_t instead of V_{t+1}."""

# Edits to the solution's function: each (old, new) pair replaces text that occurs exactly once in it.
EDITS = [
    ('            log_tilted = np.log(P) + plan.v[t + 1][None, None, :]\n',
     '            log_tilted = np.log(P) + plan.v[t][None, None, :]\n'),
]
