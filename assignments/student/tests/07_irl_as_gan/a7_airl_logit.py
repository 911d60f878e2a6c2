from otter.test_files import test_case

OK_FORMAT = False

name = "a7_airl_logit"
points = None

@test_case(points=1, hidden=False)
def test_airl_logit_public(airl_logit):
    import numpy as np
    import irlbook
    import irlbook.tabular.adversarial
    from irlbook.book.grading import check_array, random_mdp, require_function, without_references
    from irlbook.tabular import adversarial
    require_function('airl_logit', airl_logit)
    airl_logit = without_references(airl_logit, irlbook.tabular.adversarial.airl_f, irlbook.tabular.adversarial.airl_logit, irlbook.tabular.adversarial.gan_gcl_logit, irlbook.tabular.adversarial.discriminator, irlbook.tabular.adversarial.discriminator_loss, irlbook.tabular.adversarial.adversarial_irl)
    mdp = random_mdp(n_states=4, n_actions=2, horizon=3, discount=0.9, seed=0, n_successors=2)
    next_states, _ = adversarial.successor_lists(mdp)
    rng = np.random.default_rng(0)
    g, h = (rng.normal(size=4), rng.normal(size=(3, 4)))
    log_policy = np.log(irlbook.soft_value_iteration(mdp, rng.normal(size=4)).policy)
    check_array('airl_logit(g, h, next_states, 0.9, log_policy)', airl_logit(g, h, next_states, 0.9, log_policy), adversarial.airl_logit(g, h, next_states, 0.9, log_policy))

