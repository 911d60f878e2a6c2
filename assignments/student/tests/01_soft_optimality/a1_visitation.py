from otter.test_files import test_case

OK_FORMAT = False

name = "a1_visitation"
points = None

@test_case(points=1, hidden=False)
def test_visitation_public(visitation):
    import numpy as np
    import irlbook
    from irlbook.book.grading import check_array, random_mdp, require_function, without_references
    require_function('visitation', visitation)
    visitation = without_references(visitation, irlbook.state_visitation, irlbook.state_action_visitation, irlbook.expected_feature_counts)
    mdp = random_mdp(n_states=4, n_actions=2, horizon=5, seed=0)
    policy = irlbook.soft_value_iteration(mdp, np.arange(4.0)).policy
    check_array('visitation(mdp, policy)', visitation(mdp, policy), irlbook.state_visitation(mdp, policy))

