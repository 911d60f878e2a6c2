"""Inverse RL algorithms, one file each."""

from .maxent import MaxEntResult, demo_log_likelihood, maxent_irl

__all__ = ["MaxEntResult", "demo_log_likelihood", "maxent_irl"]
