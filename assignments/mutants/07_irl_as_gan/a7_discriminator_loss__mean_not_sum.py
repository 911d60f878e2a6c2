"""Averages over transitions instead of summing the weighted terms."""

def discriminator_loss(logit, rho_expert, rho_policy):
    return float((rho_expert * np.logaddexp(0.0, -logit)).mean() + (rho_policy * np.logaddexp(0.0, logit)).mean())
