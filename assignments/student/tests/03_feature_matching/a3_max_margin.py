from otter.test_files import test_case

OK_FORMAT = False

name = "a3_max_margin"
points = None

@test_case(points=1, hidden=False)
def test_max_margin_public(max_margin):
    import numpy as np
    import irlbook.tabular
    from irlbook.book.grading import check_array, check_tuple, require_function, without_references
    require_function('max_margin', max_margin)
    max_margin = without_references(max_margin, irlbook.tabular.max_margin_qp, irlbook.tabular.svm_max_margin, irlbook.tabular.closest_mixture)
    psi, t, multipliers = check_tuple('max_margin(mu_expert, mu_policies)', max_margin(np.array([1.0, 1.0]), np.array([[0.0, 1.0], [1.0, 0.0]])), 3)
    check_array('t for mu_E = (1, 1), mu_1 = (0, 1), mu_2 = (1, 0)', t, 1 / np.sqrt(2), atol=1e-06)
    check_array('psi for mu_E = (1, 1), mu_1 = (0, 1), mu_2 = (1, 0)', psi, [1 / np.sqrt(2), 1 / np.sqrt(2)], atol=1e-06)
    check_array('the multipliers for mu_E = (1, 1), mu_1 = (0, 1), mu_2 = (1, 0)', multipliers, [0.5, 0.5], atol=1e-06)

