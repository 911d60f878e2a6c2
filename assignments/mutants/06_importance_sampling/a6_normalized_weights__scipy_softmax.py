"""Calls scipy.special.softmax, which the rules forbid."""

def normalized_weights(log_weights):
    from scipy.special import softmax
    return softmax(log_weights)
