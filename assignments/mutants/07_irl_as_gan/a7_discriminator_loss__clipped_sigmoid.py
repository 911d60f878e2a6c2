"""Clips D to [1e-12, 1 - 1e-12] to avoid log 0: finite but wrong for large logits."""

def discriminator_loss(logit, rho_expert, rho_policy):
    D = np.clip(1.0 / (1.0 + np.exp(-logit)), 1e-12, 1 - 1e-12)
    return float(-(rho_expert * np.log(D)).sum() - (rho_policy * np.log(1.0 - D)).sum())
