from otter.test_files import test_case

OK_FORMAT = False

name = "a4_gradient"
points = None

@test_case(points=1, hidden=False)
def test_maxent_gradient_public(maxent_gradient):
    import numpy as np
    import irlbook
    import irlbook.tabular.maxent
    from irlbook.book.grading import check_array, random_mdp, require_function, without_references
    from irlbook.tabular.maxent import maxent_objective
    require_function('maxent_gradient', maxent_gradient)
    maxent_gradient = without_references(maxent_gradient, irlbook.state_visitation, irlbook.expected_feature_counts, irlbook.tabular.maxent.maxent_objective, irlbook.tabular.maxent.maxent_irl)
    mdp = random_mdp(n_states=5, n_actions=2, horizon=4, seed=0)
    features = np.eye(5)
    weights = np.linspace(-1, 1, 5)
    policy = irlbook.soft_value_iteration(mdp, np.arange(5.0)).policy
    demo_states, _ = irlbook.sample_trajectories(mdp, policy, n=20, seed=0)
    demo_counts = irlbook.empirical_feature_counts(features, demo_states)
    _, gradient_of_dual, *_ = maxent_objective(mdp, features, weights, demo_counts)
    check_array('maxent_gradient(mdp, features, weights, demo_states)', maxent_gradient(mdp, features, weights, demo_states), -gradient_of_dual)

