"""Returns expected minus demonstrated counts (the dual's gradient, not the likelihood's)."""

def maxent_gradient(mdp, features, weights, demo_states):
    gammas = mdp.discount ** np.arange(mdp.horizon)
    policy = irlbook.soft_value_iteration(mdp, features @ weights).policy
    D = np.empty((mdp.horizon, mdp.n_states))
    D[0] = mdp.initial
    for t in range(mdp.horizon - 1):
        D[t + 1] = np.einsum("s,sa,sat->t", D[t], policy[t], mdp.transitions)
    expected = gammas @ D @ features
    demonstrated = np.einsum("t,ntf->f", gammas, features[demo_states]) / len(demo_states)
    return expected - demonstrated
