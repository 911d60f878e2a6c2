from otter.test_files import test_case

OK_FORMAT = False

name = "a6_importance_estimates"
points = None

@test_case(points=1, hidden=False)
def test_importance_estimates_public(importance_estimates):
    import numpy as np
    from irlbook import sample_trajectories
    import scipy.special
    import irlbook.tabular.importance
    from irlbook.book.grading import check_array, check_tuple, module_functions, random_mdp, require_function, without_references
    from irlbook.tabular import importance
    require_function('importance_estimates', importance_estimates)
    importance_estimates = without_references(importance_estimates, *module_functions(irlbook.tabular.importance), scipy.special.logsumexp, scipy.special.softmax)
    mdp = random_mdp(n_states=4, n_actions=2, horizon=3, seed=0)
    rng = np.random.default_rng(0)
    features, psi = (rng.normal(size=(4, 2, 3)), rng.normal(size=3))
    policy = np.full((3, 4, 2), 0.5)
    states, actions = sample_trajectories(mdp, policy, 100, seed=1)
    log_z, grad = check_tuple('importance_estimates(...)', importance_estimates(mdp, features, psi, policy, states, actions), 2)
    f_tau = importance.trajectory_features(mdp, features, states, actions)
    log_w = importance.importance_log_weights(f_tau @ psi, importance.trajectory_log_policy(mdp, policy, states, actions))
    check_array('log_z', log_z, importance.log_partition_estimate(log_w))
    check_array('grad_log_z', grad, importance.partition_gradient(log_w, f_tau))

