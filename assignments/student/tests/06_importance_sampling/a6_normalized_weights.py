from otter.test_files import test_case

OK_FORMAT = False

name = "a6_normalized_weights"
points = None

@test_case(points=1, hidden=False)
def test_normalized_weights_public(normalized_weights):
    import numpy as np
    import scipy.special
    import irlbook.tabular.importance
    from irlbook.book.grading import check_array, module_functions, require_function, without_references
    require_function('normalized_weights', normalized_weights)
    normalized_weights = without_references(normalized_weights, *module_functions(irlbook.tabular.importance), scipy.special.logsumexp, scipy.special.softmax)
    log_w = np.log(np.array([1.0, 2.0, 3.0, 4.0]))
    check_array('normalized_weights(log [1, 2, 3, 4])', normalized_weights(log_w), [0.1, 0.2, 0.3, 0.4])

