"""One potential h for all steps (the infinite-horizon form), copied to every row."""

# Edits to the solution's function: each (old, new) pair replaces text that occurs exactly once in it.
EDITS = [
    ('    M = np.zeros((T - 1, S, A, S + T * S))\n',
     '    M = np.zeros((T - 1, S, A, 2 * S))\n'),
    ('        M[t, s, a, S + t * S + s] -= 1.0\n        M[t, s, a, S + (t + 1) * S + delta] += mdp.discount\n',
     '        M[t, s, a, S + s] -= 1.0\n        M[t, s, a, S + delta] += mdp.discount\n'),
    ('    return solution[:S], solution[S:].reshape(T, S)\n',
     '    return solution[:S], np.tile(solution[S:], (T, 1))\n'),
]
