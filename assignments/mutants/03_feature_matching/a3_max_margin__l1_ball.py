"""Bounds psi in the l1 norm (Abbeel and Ng's assumption on w*) instead of the l2 norm."""

# Edits to the solution's function: each (old, new) pair replaces text that occurs exactly once in it.
EDITS = [
    ('    psi = cp.Variable(mu_expert.shape[0])\n    t = cp.Variable()\n    margins = (mu_expert[None, :] - mu_policies) @ psi\n    constraints = [margins >= t, cp.norm(psi, 2) <= 1]\n',
     '    psi, t = cp.Variable(mu_expert.shape[0]), cp.Variable()\n    constraints = [(mu_expert[None, :] - mu_policies) @ psi >= t, cp.norm(psi, 1) <= 1]\n'),
]
