"""Calls irlbook.tabular.importance's estimators instead of writing them."""

def importance_estimates(mdp, features, psi, policy, states, actions):
    from irlbook.tabular import importance
    f_tau = importance.trajectory_features(mdp, features, states, actions)
    log_w = importance.importance_log_weights(f_tau @ psi, importance.trajectory_log_policy(mdp, policy, states, actions))
    return float(importance.log_partition_estimate(log_w)), importance.partition_gradient(log_w, f_tau)
