"""The book's experimental protocols: settings and procedures of the chapters, not algorithms.

* :data:`TABULAR_SETTINGS`: the iterations and step sizes chapter 7's tabular experiments give
  :func:`irlbook.tabular.adversarial.adversarial_irl` (numpy only; importing this module does not
  import torch).
* :func:`transfer_experiment`: Fu et al. (2018)'s transfer protocol on continuous environments
  (learn a reward in one environment, re-optimise it from scratch in another), used by notebook 07b
  and ``python -m irlbook.experiments point_maze_transfer``.
"""

from __future__ import annotations

# Settings the book's tabular experiments use (chapter 7): exact generators for GAN-GCL and
# AIRL; small natural-gradient steps with a small entropy weight for GAIL.
TABULAR_SETTINGS = {
    "airl": dict(n_iterations=300, disc_steps=20, lr=0.05, lr_final=0.002),
    "gan_gcl": dict(n_iterations=300, disc_steps=20, lr=0.05, lr_final=0.002),
    "gail": dict(n_iterations=600, disc_steps=5, lr=0.05, lr_final=0.005, generator_step=0.1, entropy=0.001),
}

#: Display names of the adversarial methods.
NAMES = {"airl": "AIRL", "gail": "GAIL", "gan_gcl": "GAN-GCL"}


def transfer_experiment(train_env, test_env, demos, n_iterations: int, methods=("airl", "gail"),
                        sac_kwargs=None, device=None, seed: int = 0, n_eval: int = 10,
                        reopt_episodes: int | None = None) -> dict:
    """Learn in ``train_env``, re-optimise in ``test_env`` (Fu et al. 2018's transfer protocol).

    Each method in ``methods`` runs :func:`irlbook.deep.adversarial.adversarial_imitation` for
    ``n_iterations`` on ``demos`` (a :class:`~irlbook.Demonstrations`) in ``train_env`` (seed ``seed``);
    each learned reward, and the true reward, is then re-optimised from scratch by SAC in ``test_env`` for
    ``reopt_episodes`` (default ``n_iterations``) episodes (seed ``seed + 100``); the GAIL policy is also
    re-used as it is. Returns ``fits`` {method: result}, ``agents`` {name: SAC} and ``returns`` {name: mean
    true return over ``n_eval`` deterministic test episodes}; names are "AIRL reward", "GAIL reward",
    "GAN-GCL reward", "true reward", "GAIL policy".
    """
    from ..deep.adversarial import AdversarialConfig, adversarial_imitation, evaluate, reoptimise
    from ..tabular.adversarial import METHODS

    if not methods or any(method not in METHODS for method in methods):
        raise ValueError(f"methods must be a non-empty subset of {METHODS}, got {methods!r}")
    sac_kwargs = dict(sac_kwargs or {})
    fits = {method: adversarial_imitation(train_env, demos, AdversarialConfig(
        method=method, n_iterations=n_iterations, sac_kwargs=sac_kwargs, device=device, seed=seed))
        for method in methods}
    n_reopt = n_iterations if reopt_episodes is None else reopt_episodes
    agents = {f"{NAMES[method]} reward": reoptimise(test_env, fits[method].reward, n_reopt,
                                                    sac_kwargs=sac_kwargs, device=device, seed=seed + 100)[0]
              for method in methods}
    agents["true reward"] = reoptimise(test_env, None, n_reopt, sac_kwargs=sac_kwargs, device=device,
                                       seed=seed + 100)[0]
    if "gail" in fits:
        agents["GAIL policy"] = fits["gail"].policy
    returns = {name: evaluate(agent, test_env, n_eval) for name, agent in agents.items()}
    return {"fits": fits, "agents": agents, "returns": returns}
