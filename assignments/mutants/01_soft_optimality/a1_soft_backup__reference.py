"""Calls irlbook's planner instead of writing the backup."""

def soft_backup(mdp, reward, v_next, temperature=1.0):
    plan = irlbook.soft_value_iteration(irlbook.TabularMDP(mdp.transitions, mdp.initial, 1, mdp.discount), reward,
                                        temperature=temperature, terminal_value=v_next)
    return plan.q[0], plan.v[0], plan.policy[0]
