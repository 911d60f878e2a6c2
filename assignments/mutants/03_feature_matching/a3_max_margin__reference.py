"""Calls irlbook.tabular.max_margin_qp instead of writing the QP."""

def max_margin(mu_expert, mu_policies):
    from irlbook.tabular import max_margin_qp
    solution = max_margin_qp(mu_expert, mu_policies)
    return solution.weights, solution.margin, solution.multipliers
