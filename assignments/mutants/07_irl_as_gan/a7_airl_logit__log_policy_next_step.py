"""Off by one in time: subtracts log pi_{t+1} instead of log pi_t."""

def airl_logit(g, h, next_states, discount, log_policy):
    next_h = h[1:][:, next_states]
    f = g[None, :, None, None] + discount * next_h - h[:-1][:, :, None, None]
    return f - log_policy[1:, :, :, None]
