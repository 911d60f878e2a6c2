from otter.test_files import test_case

OK_FORMAT = False

name = "a7_recover_reward"
points = None

@test_case(points=1, hidden=False)
def test_recover_reward_public(recover_reward):
    import numpy as np
    import irlbook
    import irlbook.tabular.adversarial
    from irlbook.book.grading import check_array, check_tuple, require_function, without_references
    require_function('recover_reward', recover_reward)
    recover_reward = without_references(recover_reward, irlbook.tabular.adversarial.airl_f, irlbook.tabular.adversarial.airl_logit, irlbook.tabular.adversarial.gan_gcl_logit, irlbook.tabular.adversarial.discriminator, irlbook.tabular.adversarial.discriminator_loss, irlbook.tabular.adversarial.adversarial_irl)
    successor = np.array([[0, 1], [1, 2], [2, 0]])
    mdp = irlbook.TabularMDP(np.eye(3)[successor], np.full(3, 1 / 3), 4, 0.9)
    reward = np.array([0.0, 1.0, -1.0])
    plan = irlbook.soft_value_iteration(mdp, reward)
    g, h = check_tuple('recover_reward(mdp, log_policy)', recover_reward(mdp, np.log(plan.policy)), 2)
    g, h = (np.asarray(g, dtype=float), np.asarray(h, dtype=float))
    assert h.shape == (4, 3), f'h must have shape [T, S] = (4, 3), got {h.shape}'
    fitted = g[:, None] + 0.9 * h[1:][:, successor] - h[:-1][:, :, None]
    check_array('g(s) + gamma h_{t+1}(delta(s,a)) - h_t(s) against log pi_t(a|s)', fitted, np.log(plan.policy[:-1]), atol=1e-08)
    check_array('g - mean(g), against r - mean(r)', g - g.mean(), reward - reward.mean(), atol=1e-08)

