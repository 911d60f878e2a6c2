from otter.test_files import test_case

OK_FORMAT = False

name = "a5_dual"
points = None

@test_case(points=1, hidden=False)
def test_dual_objective_public(dual_objective):
    import numpy as np
    import irlbook
    from irlbook.core.duality import trajectory_table
    import irlbook.core.duality
    import irlbook.tabular.maxent
    from irlbook.book.grading import check_array, check_tuple, require_function, without_references
    from irlbook.tabular.maxent import maxent_objective
    require_function('dual_objective', dual_objective)
    dual_objective = without_references(dual_objective, irlbook.tabular.maxent.maxent_objective, irlbook.tabular.maxent.maxent_irl, irlbook.core.duality.solve_max_entropy)
    successor = np.array([[1, 2], [2, 0], [0, 1]])
    P = np.zeros((3, 2, 3))
    P[np.arange(3)[:, None], np.arange(2)[None, :], successor] = 1.0
    mdp = irlbook.TabularMDP(P, initial=[1.0, 0.0, 0.0], horizon=3)
    features = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]])
    table = trajectory_table(mdp, features)
    weights, target = (np.array([0.5, -1.0]), np.array([1.0, 0.5]))
    value, gradient = check_tuple('dual_objective(table, weights, target)', dual_objective(table, weights, target), 2)
    reference_value, reference_gradient, *_ = maxent_objective(mdp, features, weights, target, causal=False)
    check_array('the value of dual_objective', value, reference_value)
    check_array('the gradient of dual_objective', gradient, reference_gradient)

