"""Uses h_{t+1}(s) instead of h_{t+1}(delta(s, a))."""

def recover_reward(mdp, log_policy):
    T, S, A = mdp.horizon, mdp.n_states, mdp.n_actions
    delta = mdp.transitions.argmax(axis=2)
    s = np.broadcast_to(np.arange(S)[:, None], (S, A))
    a = np.broadcast_to(np.arange(A)[None, :], (S, A))
    M = np.zeros((T - 1, S, A, S + T * S))
    for t in range(T - 1):
        M[t, s, a, s] += 1.0
        M[t, s, a, S + t * S + s] -= 1.0
        M[t, s, a, S + (t + 1) * S + s] += mdp.discount
    n = (T - 1) * S * A
    solution = np.linalg.lstsq(M.reshape(n, -1), log_policy[:-1].reshape(n), rcond=None)[0]
    return solution[:S], solution[S:].reshape(T, S)
