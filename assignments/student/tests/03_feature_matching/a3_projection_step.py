from otter.test_files import test_case

OK_FORMAT = False

name = "a3_projection_step"
points = None

@test_case(points=1, hidden=False)
def test_projection_step_public(projection_step):
    import numpy as np
    import irlbook.tabular
    from irlbook.book.grading import check_array, check_tuple, require_function, without_references
    require_function('projection_step', projection_step)
    projection_step = without_references(projection_step, irlbook.tabular.projection_irl)
    mu_bar, alpha = check_tuple('projection_step(mu_expert, mu_bar, mu_new)', projection_step(np.array([1.0, 1.0]), np.array([0.0, 1.0]), np.array([1.0, 0.0])), 2)
    check_array('alpha for mu_E = (1, 1) on the segment from (0, 1) to (1, 0)', alpha, 0.5)
    check_array('the new mu_bar for mu_E = (1, 1) on the segment from (0, 1) to (1, 0)', mu_bar, [0.5, 0.5])

