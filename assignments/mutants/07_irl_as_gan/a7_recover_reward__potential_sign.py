"""Swaps the signs of the potential terms: g - gamma h_{t+1}(s') + h_t(s)."""

# Edits to the solution's function: each (old, new) pair replaces text that occurs exactly once in it.
EDITS = [
    ('    """Least-squares (g [S], h [T, S]) with g(s) + gamma h_{t+1}(delta(s,a)) - h_t(s) = log pi_t(a|s), t <= T-2."""\n',
     '    """Least-squares (g [S], h [T, S]) with g(s) + gamma h_{t+1}(delta(s,a)) - h_t(s) = log pi_t(a|s), t <= T-2."""\n    g, h = _recover_reward_signs(mdp, log_policy)\n    return g, h\n\ndef _recover_reward_signs(mdp, log_policy):\n'),
    ('        M[t, s, a, S + t * S + s] -= 1.0\n        M[t, s, a, S + (t + 1) * S + delta] += mdp.discount\n',
     '        M[t, s, a, S + t * S + s] += 1.0\n        M[t, s, a, S + (t + 1) * S + delta] -= mdp.discount\n'),
]
