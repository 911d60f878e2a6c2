"""Computes D = sigmoid(logit) first, then log D and log(1 - D): log 0 for large logits."""

def discriminator_loss(logit, rho_expert, rho_policy):
    D = 1.0 / (1.0 + np.exp(-logit))
    return float(-(rho_expert * np.log(D)).sum() - (rho_policy * np.log(1.0 - D)).sum())
