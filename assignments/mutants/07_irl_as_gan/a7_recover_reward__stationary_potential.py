"""One potential h for all steps (the infinite-horizon form), copied to every row."""

def recover_reward(mdp, log_policy):
    T, S, A = mdp.horizon, mdp.n_states, mdp.n_actions
    delta = mdp.transitions.argmax(axis=2)
    s = np.broadcast_to(np.arange(S)[:, None], (S, A))
    a = np.broadcast_to(np.arange(A)[None, :], (S, A))
    M = np.zeros((T - 1, S, A, 2 * S))
    for t in range(T - 1):
        M[t, s, a, s] += 1.0
        M[t, s, a, S + s] -= 1.0
        M[t, s, a, S + delta] += mdp.discount
    n = (T - 1) * S * A
    solution = np.linalg.lstsq(M.reshape(n, -1), log_policy[:-1].reshape(n), rcond=None)[0]
    return solution[:S], np.tile(solution[S:], (T, 1))
