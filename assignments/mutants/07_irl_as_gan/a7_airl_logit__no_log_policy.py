"""Returns f, GAN-GCL's energy, without subtracting log pi."""

def airl_logit(g, h, next_states, discount, log_policy):
    next_h = h[1:][:, next_states]
    f = g[None, :, None, None] + discount * next_h - h[:-1][:, :, None, None]
    return f - 0.0
