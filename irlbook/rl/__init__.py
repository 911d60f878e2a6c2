"""Forward RL used inside the IRL loops."""
