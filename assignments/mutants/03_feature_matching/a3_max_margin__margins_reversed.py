"""Writes the margin constraints the wrong way round: psi (mu_j - mu_E) >= t."""

# Edits to the solution's function: each (old, new) pair replaces text that occurs exactly once in it.
EDITS = [
    ('    psi = cp.Variable(mu_expert.shape[0])\n    t = cp.Variable()\n    margins = (mu_expert[None, :] - mu_policies) @ psi\n    constraints = [margins >= t, cp.norm(psi, 2) <= 1]\n',
     '    psi, t = cp.Variable(mu_expert.shape[0]), cp.Variable()\n    constraints = [(mu_policies - mu_expert[None, :]) @ psi >= t, cp.norm(psi, 2) <= 1]\n'),
]
