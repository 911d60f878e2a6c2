from otter.test_files import test_case

OK_FORMAT = False

name = "a3_feature_expectations"
points = None

@test_case(points=1, hidden=False)
def test_feature_expectations_public(policy_feature_expectations):
    import numpy as np
    import irlbook
    import irlbook.tabular
    from irlbook.book.grading import check_array, random_mdp, require_function, without_references
    require_function('policy_feature_expectations', policy_feature_expectations)
    policy_feature_expectations = without_references(policy_feature_expectations, irlbook.expected_feature_counts, irlbook.state_visitation, irlbook.state_action_visitation, irlbook.tabular.feature_expectations)
    mdp = random_mdp(n_states=5, n_actions=2, horizon=4, seed=0)
    features = np.random.default_rng(0).uniform(size=(5, 3))
    policy = irlbook.soft_value_iteration(mdp, np.arange(5.0)).policy
    check_array('policy_feature_expectations(mdp, policy, features)', policy_feature_expectations(mdp, policy, features), irlbook.expected_feature_counts(mdp, policy, features))

