from otter.test_files import test_case

OK_FORMAT = False

name = "a5_l2_gap"
points = None

@test_case(points=1, hidden=False)
def test_l2_duality_gap_public(l2_duality_gap):
    import warnings
    import numpy as np
    from scipy.special import logsumexp, softmax
    import irlbook
    import irlbook.core.duality
    import irlbook.tabular.maxent
    from irlbook.book.grading import check_array, check_tuple, random_mdp, require_function, without_references
    require_function('l2_duality_gap', l2_duality_gap)
    l2_duality_gap = without_references(l2_duality_gap, irlbook.tabular.maxent.maxent_objective, irlbook.tabular.maxent.maxent_irl, irlbook.core.duality.solve_max_entropy)

    def reference(table, weights, target, l2):
        logits = table.log_base + table.features @ weights
        p = softmax(logits)
        d = p @ table.features - target
        return (logsumexp(logits) - weights @ target + 0.5 * l2 * weights @ weights, d + l2 * weights)
    from irlbook.core.duality import TrajectoryTable
    features = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [2.0, 0.0], [0.0, 2.0]])
    log_base = np.log([0.1, 0.2, 0.3, 0.25, 0.15])
    table = TrajectoryTable(np.zeros((5, 1), int), np.zeros((5, 1), int), log_base, features)
    weights, target, l2 = (np.array([0.7, -0.4]), np.array([0.9, 0.5]), 0.5)
    dual, primal, gap = check_tuple('l2_duality_gap(table, weights, target, 0.5)', l2_duality_gap(table, weights, target, l2), 3)
    value, gradient = reference(table, weights, target, l2)
    check_array('the dual value g_l2(psi)', dual, value)
    check_array('the gap against |grad g_l2(psi)|^2 / (2 l2)', gap, gradient @ gradient / (2 * l2))
    check_array('dual_value - primal_value against the gap', float(dual) - float(primal), gap)

