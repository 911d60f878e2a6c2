"""Swaps the labels: the expert's weight on log(1 - D)."""

def discriminator_loss(logit, rho_expert, rho_policy):
    return float((rho_policy * np.logaddexp(0.0, -logit)).sum() + (rho_expert * np.logaddexp(0.0, logit)).sum())
