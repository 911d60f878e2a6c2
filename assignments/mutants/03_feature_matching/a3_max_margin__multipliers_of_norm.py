"""Returns the multiplier of the norm constraint, repeated, in place of the margin multipliers."""

def max_margin(mu_expert, mu_policies):
    psi, t = cp.Variable(mu_expert.shape[0]), cp.Variable()
    constraints = [(mu_expert[None, :] - mu_policies) @ psi >= t, cp.norm(psi, 2) <= 1]
    cp.Problem(cp.Maximize(t), constraints).solve(solver="CLARABEL")
    return np.asarray(psi.value), float(t.value), np.full(len(mu_policies), float(constraints[1].dual_value))
