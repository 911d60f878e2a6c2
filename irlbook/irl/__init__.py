"""Inverse RL algorithms, one file each."""

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
    "MaxEntResult",
    "demo_log_likelihood",
    "effective_sample_size",
    "importance_log_weights",
    "log_partition_estimate",
    "maxent_irl",
    "mixture_log_density",
    "partition_gradient",
    "self_normalized_expectation",
    "self_normalized_weights",
]
