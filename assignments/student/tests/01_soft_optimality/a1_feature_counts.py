from otter.test_files import test_case

OK_FORMAT = False

name = "a1_feature_counts"
points = None

@test_case(points=1, hidden=False)
def test_expected_features_public(expected_features):
    import numpy as np
    import irlbook
    from irlbook.book.grading import check_array, random_mdp, require_function, without_references
    require_function('expected_features', expected_features)
    expected_features = without_references(expected_features, irlbook.expected_feature_counts, irlbook.state_visitation, irlbook.state_action_visitation)
    mdp = random_mdp(n_states=4, n_actions=2, horizon=3, seed=0)
    policy = np.full((3, 4, 2), 0.5)
    features = np.eye(4)
    check_array('expected_features(mdp, policy, np.eye(4))', expected_features(mdp, policy, features), irlbook.expected_feature_counts(mdp, policy, features))

