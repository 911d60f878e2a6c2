"""Swaps the signs of the potential terms: g - gamma h_{t+1}(s') + h_t(s)."""

def recover_reward(mdp, log_policy):
    g, h = _recover_reward_signs(mdp, log_policy)
    return g, h

def _recover_reward_signs(mdp, log_policy):
    T, S, A = mdp.horizon, mdp.n_states, mdp.n_actions
    delta = mdp.transitions.argmax(axis=2)
    s = np.broadcast_to(np.arange(S)[:, None], (S, A))
    a = np.broadcast_to(np.arange(A)[None, :], (S, A))
    M = np.zeros((T - 1, S, A, S + T * S))
    for t in range(T - 1):
        M[t, s, a, s] += 1.0
        M[t, s, a, S + t * S + s] += 1.0
        M[t, s, a, S + (t + 1) * S + delta] -= mdp.discount
    n = (T - 1) * S * A
    solution = np.linalg.lstsq(M.reshape(n, -1), log_policy[:-1].reshape(n), rcond=None)[0]
    return solution[:S], solution[S:].reshape(T, S)
