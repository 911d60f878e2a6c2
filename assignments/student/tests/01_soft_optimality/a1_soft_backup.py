from otter.test_files import test_case

OK_FORMAT = False

name = "a1_soft_backup"
points = None

@test_case(points=1, hidden=False)
def test_soft_backup_public(soft_backup):
    import numpy as np
    import irlbook
    from irlbook.book.grading import check_array, check_tuple, random_mdp, require_function, without_references
    require_function('soft_backup', soft_backup)
    soft_backup = without_references(soft_backup, irlbook.soft_value_iteration)
    mdp = random_mdp(n_states=4, n_actions=3, horizon=1, seed=0)
    rng = np.random.default_rng(1)
    reward, v_next = (rng.normal(size=(4, 3)), rng.normal(size=4))
    reference = irlbook.soft_value_iteration(mdp, reward, terminal_value=v_next)
    answer = check_tuple('soft_backup(mdp, reward, v_next)', soft_backup(mdp, reward, v_next), 3)
    check_array('q', answer[0], reference.q[0])
    check_array('v', answer[1], reference.v[0])
    check_array('policy', answer[2], reference.policy[0])

