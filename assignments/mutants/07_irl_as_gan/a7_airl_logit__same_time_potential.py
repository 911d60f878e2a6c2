"""Off by one in time: uses h_t(s') instead of h_{t+1}(s')."""

def airl_logit(g, h, next_states, discount, log_policy):
    next_h = h[:-1][:, next_states]
    f = g[None, :, None, None] + discount * next_h - h[:-1][:, :, None, None]
    return f - log_policy[:-1, :, :, None]
