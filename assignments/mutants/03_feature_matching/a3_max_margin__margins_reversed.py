"""Writes the margin constraints the wrong way round: psi (mu_j - mu_E) >= t."""

def max_margin(mu_expert, mu_policies):
    psi, t = cp.Variable(mu_expert.shape[0]), cp.Variable()
    constraints = [(mu_policies - mu_expert[None, :]) @ psi >= t, cp.norm(psi, 2) <= 1]
    cp.Problem(cp.Maximize(t), constraints).solve(solver="CLARABEL")
    return np.asarray(psi.value), float(t.value), np.asarray(constraints[0].dual_value)
