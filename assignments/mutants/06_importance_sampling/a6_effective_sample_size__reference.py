"""Calls irlbook.tabular.importance.effective_sample_size."""

def effective_sample_size_of(log_weights):
    from irlbook.tabular.importance import effective_sample_size
    return float(effective_sample_size(log_weights))
