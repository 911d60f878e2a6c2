"""Calls irlbook.tabular.importance.self_normalized_weights."""

def normalized_weights(log_weights):
    from irlbook.tabular.importance import self_normalized_weights
    return self_normalized_weights(log_weights)
