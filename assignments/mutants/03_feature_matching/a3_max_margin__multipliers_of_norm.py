"""Returns the multiplier of the norm constraint, repeated, in place of the margin multipliers."""

# Edits to the solution's function: each (old, new) pair replaces text that occurs exactly once in it.
EDITS = [
    ('    psi = cp.Variable(mu_expert.shape[0])\n    t = cp.Variable()\n    margins = (mu_expert[None, :] - mu_policies) @ psi\n    constraints = [margins >= t, cp.norm(psi, 2) <= 1]\n',
     '    psi, t = cp.Variable(mu_expert.shape[0]), cp.Variable()\n    constraints = [(mu_expert[None, :] - mu_policies) @ psi >= t, cp.norm(psi, 2) <= 1]\n'),
    ('    return np.asarray(psi.value), float(t.value), np.asarray(constraints[0].dual_value)\n',
     '    return np.asarray(psi.value), float(t.value), np.full(len(mu_policies), float(constraints[1].dual_value))\n'),
]
