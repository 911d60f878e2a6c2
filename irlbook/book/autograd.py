"""Torch forms of chapter 7's tabular formulas, for the book's autograd checks.

:mod:`irlbook.tabular.adversarial` is numpy only and writes its gradients out; the chapter and the
tests check them against torch autograd with the functions here (the book may import torch).
"""

from __future__ import annotations

import numpy as np
import torch

from ..core.inference import enumerate_trajectories
from ..core.mdp import TabularMDP, check_mdp
from ..deep.adversarial import discriminator_loss_torch
from ..tabular.adversarial import trajectory_gan_gcl_logit
from ..tabular.importance import trajectory_log_policy
from ..validation import check_policy


def trajectory_discriminator_loss(mdp: TabularMDP, reward, log_z, data_policy, generator_policy):
    """Finn et al.'s trajectory-level GAN-GCL loss, exact by enumerating every trajectory
    (:func:`irlbook.core.inference.enumerate_trajectories`).

    reward : torch tensor [S, A] (``r_psi``, may require grad);  log_z : torch scalar
    data_policy, generator_policy : [T, S, A] numpy; ``p`` and ``q`` are their trajectory laws.
    Returns ``(loss, states, actions, p, q, policy_product)``: ``loss`` is the torch scalar
    ``-E_p[log D] - E_q[log(1 - D)]`` with ``D`` from :func:`trajectory_gan_gcl_logit`; then the
    trajectories ``q`` gives positive probability (int [M, T]), their probabilities ``p``, ``q`` [M]
    and the generator's ``prod_t pi_t(a_t|s_t)`` [M] (its density relative to the dynamics).
    """
    check_mdp(mdp)
    data_policy = check_policy(mdp, data_policy, "data_policy")
    generator_policy = check_policy(mdp, generator_policy, "generator_policy")
    states, actions, log_dynamics = enumerate_trajectories(mdp)
    log_data = trajectory_log_policy(mdp, data_policy, states, actions)
    log_policy_product = trajectory_log_policy(mdp, generator_policy, states, actions)
    keep = np.isfinite(log_policy_product)
    if np.any(np.isfinite(log_data) & ~keep):
        raise ValueError("data_policy puts mass on trajectories that generator_policy never produces")
    states, actions = states[keep], actions[keep]
    log_p, log_q = log_dynamics[keep] + log_data[keep], log_dynamics[keep] + log_policy_product[keep]
    log_policy_product = log_policy_product[keep]
    device = reward.device
    R = reward[torch.as_tensor(states, device=device), torch.as_tensor(actions, device=device)].sum(1)
    logit = trajectory_gan_gcl_logit(R, log_z, torch.as_tensor(log_policy_product, device=device))
    p, q = np.exp(log_p), np.exp(log_q)
    loss = discriminator_loss_torch(logit, torch.as_tensor(p, device=device), torch.as_tensor(q, device=device))
    return loss, states, actions, p, q, np.exp(log_policy_product)
