"""irlbook: the library behind the executable book on inverse reinforcement learning."""

from . import envs
from .core.demonstrations import Demonstrations, empirical_feature_counts, sample_trajectories
from .core.mdp import TabularMDP
from .core.planning import PlanningResult, policy_evaluation, soft_value_iteration, value_iteration
from .core.visitation import expected_feature_counts, state_action_visitation, state_visitation
from .profile import get_device, get_profile, pick
from .tabular.maxent import MaxEntResult, demo_log_likelihood, maxent_irl

__version__ = "0.2.0"

__all__ = [
    "Demonstrations",
    "MaxEntResult",
    "PlanningResult",
    "TabularMDP",
    "demo_log_likelihood",
    "empirical_feature_counts",
    "envs",
    "expected_feature_counts",
    "get_device",
    "get_profile",
    "maxent_irl",
    "pick",
    "policy_evaluation",
    "sample_trajectories",
    "soft_value_iteration",
    "state_action_visitation",
    "state_visitation",
    "value_iteration",
]
