"""Inverse RL algorithms, one file each.

This package imports numpy-only modules; the torch ones (``deep_maxent``, ``gcl``,
``adversarial_deep``) are imported from their modules, so ``import irlbook`` works without torch.
"""

from .adversarial import (
    AdversarialResult,
    adversarial_irl,
    demo_occupancy,
    optimal_discriminator,
    policy_occupancy,
)
from .experts import EXPERT_KINDS, ExpertData, expert_demos, expert_policy
from .feature_matching import (
    FeatureMatchingResult,
    MarginSolution,
    MMPResult,
    closest_mixture,
    feature_expectations,
    hamming_loss,
    max_margin_irl,
    max_margin_qp,
    mmp,
    policy_loss,
    policy_of,
    projection_irl,
    svm_max_margin,
)
from .importance import (
    effective_sample_size,
    importance_log_weights,
    log_partition_estimate,
    mixture_log_density,
    partition_gradient,
    self_normalized_expectation,
    self_normalized_weights,
)
from .maxent import MaxEntResult, demo_log_likelihood, maxent_irl

__all__ = [
    "EXPERT_KINDS",
    "AdversarialResult",
    "ExpertData",
    "FeatureMatchingResult",
    "MMPResult",
    "MarginSolution",
    "MaxEntResult",
    "adversarial_irl",
    "closest_mixture",
    "demo_log_likelihood",
    "demo_occupancy",
    "effective_sample_size",
    "expert_demos",
    "expert_policy",
    "feature_expectations",
    "hamming_loss",
    "importance_log_weights",
    "log_partition_estimate",
    "max_margin_irl",
    "max_margin_qp",
    "maxent_irl",
    "mixture_log_density",
    "mmp",
    "optimal_discriminator",
    "partition_gradient",
    "policy_loss",
    "policy_occupancy",
    "policy_of",
    "projection_irl",
    "self_normalized_expectation",
    "self_normalized_weights",
    "svm_max_margin",
]
