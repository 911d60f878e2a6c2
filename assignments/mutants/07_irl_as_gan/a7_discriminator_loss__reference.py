"""Calls irlbook.tabular.adversarial.discriminator_loss."""

def discriminator_loss(logit, rho_expert, rho_policy):
    from irlbook.tabular import adversarial
    return float(adversarial.discriminator_loss(logit, rho_expert, rho_policy))
