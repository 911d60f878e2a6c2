from otter.test_files import test_case

OK_FORMAT = False

name = "a6_effective_sample_size"
points = None

@test_case(points=1, hidden=False)
def test_effective_sample_size_public(effective_sample_size_of):
    import numpy as np
    import scipy.special
    import irlbook.tabular.importance
    from irlbook.book.grading import check_array, module_functions, require_function, without_references
    require_function('effective_sample_size_of', effective_sample_size_of)
    effective_sample_size_of = without_references(effective_sample_size_of, *module_functions(irlbook.tabular.importance), scipy.special.logsumexp, scipy.special.softmax)
    check_array('effective_sample_size_of(zeros(8)) (equal weights)', effective_sample_size_of(np.zeros(8)), 8.0)
    check_array('effective_sample_size_of(log [1, 1, 2])', effective_sample_size_of(np.log([1.0, 1.0, 2.0])), 16.0 / 6.0)

