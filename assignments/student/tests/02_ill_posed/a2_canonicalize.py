from otter.test_files import test_case

OK_FORMAT = False

name = "a2_canonicalize"
points = None

@test_case(points=1, hidden=False)
def test_canonicalize_public(canonicalize):
    import numpy as np
    import irlbook.core.metrics
    from irlbook.book.grading import check_array, require_function, without_references
    require_function('canonicalize', canonicalize)
    canonicalize = without_references(canonicalize, irlbook.core.metrics.canonicalize, irlbook.core.metrics.epic_distance)
    reward = np.random.default_rng(0).normal(size=(3, 2, 3))
    check_array('canonicalize(reward, 0.9)', canonicalize(reward, 0.9), irlbook.core.metrics.canonicalize(reward, 0.9))

