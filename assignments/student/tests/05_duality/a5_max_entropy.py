from otter.test_files import test_case

OK_FORMAT = False

name = "a5_max_entropy"
points = None

@test_case(points=1, hidden=False)
def test_max_entropy_distribution_public(max_entropy_distribution):
    import numpy as np
    from irlbook.core.duality import TrajectoryTable
    import irlbook.core.duality
    import irlbook.tabular.maxent
    from irlbook.book.grading import check_array, require_function, without_references
    require_function('max_entropy_distribution', max_entropy_distribution)
    max_entropy_distribution = without_references(max_entropy_distribution, irlbook.tabular.maxent.maxent_objective, irlbook.tabular.maxent.maxent_irl, irlbook.core.duality.solve_max_entropy)
    features = np.array([[0.0, 1.0], [1.0, 0.0], [1.0, 1.0], [2.0, 0.0]])
    log_base = np.log([0.1, 0.2, 0.3, 0.4])
    table = TrajectoryTable(np.zeros((4, 1), int), np.zeros((4, 1), int), log_base, features)
    weights = np.array([0.7, -0.4])
    unnormalised = np.exp(log_base + features @ weights)
    check_array('max_entropy_distribution(table, weights)', max_entropy_distribution(table, weights), unnormalised / unnormalised.sum())

