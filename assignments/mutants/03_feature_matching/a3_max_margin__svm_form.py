"""Solves the SVM form (min |psi|^2 with margins >= 1) and rescales, so the multipliers are off by a factor."""

def max_margin(mu_expert, mu_policies):
    psi = cp.Variable(mu_expert.shape[0])
    constraint = (mu_expert[None, :] - mu_policies) @ psi >= 1
    cp.Problem(cp.Minimize(0.5 * cp.sum_squares(psi)), [constraint]).solve(solver="CLARABEL")
    if psi.value is None:
        return np.zeros(mu_expert.shape[0]), 0.0, np.zeros(len(mu_policies))
    norm = np.linalg.norm(psi.value)
    return psi.value / norm, float(1 / norm), np.asarray(constraint.dual_value)
