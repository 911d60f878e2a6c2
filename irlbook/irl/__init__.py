"""Inverse RL algorithms, one file each."""

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
from .maxent import MaxEntResult, demo_log_likelihood, maxent_irl

__all__ = [
    "AdversarialResult",
    "adversarial_irl",
    "demo_occupancy",
    "optimal_discriminator",
    "policy_occupancy",
    "EXPERT_KINDS",
    "ExpertData",
    "FeatureMatchingResult",
    "MMPResult",
    "MarginSolution",
    "MaxEntResult",
    "closest_mixture",
    "demo_log_likelihood",
    "expert_demos",
    "expert_policy",
    "feature_expectations",
    "hamming_loss",
    "max_margin_irl",
    "max_margin_qp",
    "maxent_irl",
    "mmp",
    "policy_loss",
    "policy_of",
    "projection_irl",
    "svm_max_margin",
]
