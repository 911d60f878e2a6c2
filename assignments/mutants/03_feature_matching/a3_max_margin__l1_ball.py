"""Bounds psi in the l1 norm (Abbeel and Ng's assumption on w*) instead of the l2 norm."""

def max_margin(mu_expert, mu_policies):
    psi, t = cp.Variable(mu_expert.shape[0]), cp.Variable()
    constraints = [(mu_expert[None, :] - mu_policies) @ psi >= t, cp.norm(psi, 1) <= 1]
    cp.Problem(cp.Maximize(t), constraints).solve(solver="CLARABEL")
    return np.asarray(psi.value), float(t.value), np.asarray(constraints[0].dual_value)
