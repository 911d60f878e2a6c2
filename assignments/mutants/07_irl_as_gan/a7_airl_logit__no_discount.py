"""Forgets the discount on the next potential."""

def airl_logit(g, h, next_states, discount, log_policy):
    next_h = h[1:][:, next_states]
    f = g[None, :, None, None] + 1.0 * next_h - h[:-1][:, :, None, None]
    return f - log_policy[:-1, :, :, None]
