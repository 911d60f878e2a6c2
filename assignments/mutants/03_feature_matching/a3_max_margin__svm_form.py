"""Solves the SVM form (min |psi|^2 with margins >= 1) and rescales, so the multipliers are off by a factor."""

# Edits to the solution's function: each (old, new) pair replaces text that occurs exactly once in it.
EDITS = [
    ('    t = cp.Variable()\n    margins = (mu_expert[None, :] - mu_policies) @ psi\n    constraints = [margins >= t, cp.norm(psi, 2) <= 1]\n    cp.Problem(cp.Maximize(t), constraints).solve(solver="CLARABEL")\n    return np.asarray(psi.value), float(t.value), np.asarray(constraints[0].dual_value)\n',
     '    constraint = (mu_expert[None, :] - mu_policies) @ psi >= 1\n    cp.Problem(cp.Minimize(0.5 * cp.sum_squares(psi)), [constraint]).solve(solver="CLARABEL")\n    if psi.value is None:\n        return np.zeros(mu_expert.shape[0]), 0.0, np.zeros(len(mu_policies))\n    norm = np.linalg.norm(psi.value)\n    return psi.value / norm, float(1 / norm), np.asarray(constraint.dual_value)\n'),
]
