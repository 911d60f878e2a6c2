"""Computes the causal model's visitation where the non-causal one is asked."""

# Edits to the solution's function: each (old, new) pair replaces text that occurs exactly once in it.
EDITS = [
    ('    plan = irlbook.soft_value_iteration(mdp, reward, causal=False)\n    P = mdp.transitions\n',
     '    policy = irlbook.soft_value_iteration(mdp, reward).policy\n'),
    ('        with np.errstate(divide="ignore"):\n            log_tilted = np.log(P) + plan.v[t + 1][None, None, :]\n        tilted = np.exp(log_tilted - logsumexp(log_tilted, axis=2, keepdims=True))\n        D[t + 1] = np.einsum("s,sa,sat->t", D[t], plan.policy[t], tilted)\n',
     '        D[t + 1] = np.einsum("s,sa,sat->t", D[t], policy[t], mdp.transitions)\n'),
]
