"""Calls irlbook.state_visitation for the forward pass."""

def maxent_gradient(mdp, features, weights, demo_states):
    gammas = mdp.discount ** np.arange(mdp.horizon)
    policy = irlbook.soft_value_iteration(mdp, features @ weights).policy
    expected = gammas @ irlbook.state_visitation(mdp, policy) @ features
    return np.einsum("t,ntf->f", gammas, features[demo_states]) / len(demo_states) - expected
