"""Calls irlbook.tabular.importance's log_partition_estimate and effective_sample_size."""

def log_z_with_error(log_weights):
    from irlbook.tabular.importance import effective_sample_size, log_partition_estimate
    n = len(log_weights)
    v = n / float(effective_sample_size(log_weights)) - 1.0
    return float(log_partition_estimate(log_weights)) + v / (2 * n), float(np.sqrt(v / n))
