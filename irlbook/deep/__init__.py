"""The torch half: one network builder, the torch planner, SAC, PPO, deep MaxEnt, GCL and adversarial IRL.

This is the only package that imports torch; ``import irlbook`` never imports it.
"""
