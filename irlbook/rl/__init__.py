"""Forward RL used inside the IRL loops."""

from .sac import SAC, SACHistory

__all__ = ["SAC", "SACHistory"]
