"""Behavioural cloning: a policy fitted to demonstrated actions by maximum likelihood.

The baseline of Ho & Ermon's table (chapter 7), and the warm start of an adversarial run's PPO generator
(:class:`~irlbook.deep.adversarial.AdversarialConfig` ``bc_epochs``). The policy is a
:class:`~irlbook.deep.ppo.PPO` agent's Gaussian actor: its mean network and its state-independent log standard
deviation are both fitted, so the cloned policy is as stochastic as the demonstrations are around it.
"""

from __future__ import annotations

import numpy as np
import torch

from irlbook.validation import as_array, as_observations, check_positive_int


def behavioural_cloning(agent, obs, actions, epochs: int, seed: int, batch_size: int = 256,
                        lr: float = 1e-3) -> float:
    """Fit ``agent``'s Gaussian policy (:class:`~irlbook.deep.ppo.PPO`, continuous actions) to the pairs
    ``(obs, actions)`` ([N, obs_dim], [N, act_dim]) by maximum likelihood, in place.

    The agent's observation normaliser takes the demonstrations' statistics; a random 70% of the pairs train and
    30% validate; each of ``epochs`` epochs is one pass of Adam (step ``lr``) over the training pairs in
    minibatches of ``batch_size``, and the parameters of the epoch with the best validation log-likelihood are
    kept. Returns that mean log-likelihood per pair (nats)."""
    if getattr(agent, "discrete", False):
        raise ValueError("agent: behavioural cloning here fits a Gaussian policy; got a discrete-action agent")
    obs = as_observations(obs, "obs", agent.obs_dim)
    if obs.ndim != 2 or len(obs) < 2:
        raise ValueError(f"obs must be a batch of at least 2 observations [N, {agent.obs_dim}], got {obs.shape}")
    actions = as_array(actions, "actions", shape=(len(obs), agent.act_dim)).astype(np.float32)
    epochs, batch_size = check_positive_int(epochs, "epochs"), check_positive_int(batch_size, "batch_size")
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(obs))
    n_train = max(1, int(0.7 * len(obs)))
    train, val = order[:n_train], order[n_train:]
    agent.obs_rms.update(obs)
    params = [*agent.actor.parameters(), agent.log_std]
    opt = torch.optim.Adam(params, lr=lr)
    best, best_state = -np.inf, None
    for _ in range(epochs):
        shuffled = rng.permutation(train)
        for start in range(0, len(shuffled), batch_size):
            idx = shuffled[start:start + batch_size]
            loss = -agent.log_prob(obs[idx], actions[idx]).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
        with torch.no_grad():
            score = float(agent.log_prob(obs[val], actions[val]).mean())
        if score > best:
            best, best_state = score, [p.detach().clone() for p in params]
    with torch.no_grad():
        for p, saved in zip(params, best_state, strict=True):
            p.copy_(saved)
    return best
