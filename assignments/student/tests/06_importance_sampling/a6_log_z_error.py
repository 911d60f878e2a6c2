from otter.test_files import test_case

OK_FORMAT = False

name = "a6_log_z_error"
points = None

@test_case(points=1, hidden=False)
def test_log_z_with_error_public(log_z_with_error):
    import warnings
    import numpy as np
    import scipy.special
    import irlbook.tabular.importance
    from irlbook.book.grading import check_array, check_tuple, module_functions, require_function, without_references
    require_function('log_z_with_error', log_z_with_error)
    log_z_with_error = without_references(log_z_with_error, *module_functions(irlbook.tabular.importance), scipy.special.logsumexp, scipy.special.softmax)
    w = np.array([1.0, 2.0, 3.0, 6.0])
    n, ess = (4, w.sum() ** 2 / (w @ w))
    log_z, standard_error = check_tuple('log_z_with_error(log [1, 2, 3, 6])', log_z_with_error(np.log(w)), 2)
    check_array('log_z for log-weights log [1, 2, 3, 6]', log_z, np.log(w.mean()) + (n / ess - 1) / (2 * n))
    check_array('standard_error for log-weights log [1, 2, 3, 6]', standard_error, np.sqrt((n / ess - 1) / n))
    log_z, standard_error = check_tuple('log_z_with_error(zeros(5))', log_z_with_error(np.zeros(5)), 2)
    check_array('(log_z, standard_error) for equal weights', [log_z, standard_error], [0.0, 0.0], atol=1e-12)

