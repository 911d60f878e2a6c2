"""Calls irlbook.tabular.adversarial.airl_logit."""

def airl_logit(g, h, next_states, discount, log_policy):
    from irlbook.tabular import adversarial
    return adversarial.airl_logit(g, h, next_states, discount, log_policy)
