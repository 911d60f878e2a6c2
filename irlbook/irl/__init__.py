"""Inverse RL algorithms, one file each."""

from .adversarial import (AdversarialResult, adversarial_irl, demo_occupancy, optimal_discriminator,
                          policy_occupancy)
from .maxent import MaxEntResult, demo_log_likelihood, maxent_irl

__all__ = ["AdversarialResult", "MaxEntResult", "adversarial_irl", "demo_log_likelihood", "demo_occupancy",
           "maxent_irl", "optimal_discriminator", "policy_occupancy"]
