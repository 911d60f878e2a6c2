"""Calls irlbook.core.metrics.canonicalize instead of writing it."""

def canonicalize(reward, discount):
    import irlbook.core.metrics
    return irlbook.core.metrics.canonicalize(reward, discount)
