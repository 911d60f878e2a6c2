"""The numpy core: MDPs, planning, visitation, demonstrations, metrics, shaping, inference, duality.

Everything here is float64 numpy; nothing imports torch or the IRL algorithms.
"""
