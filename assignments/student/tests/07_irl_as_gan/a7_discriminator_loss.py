from otter.test_files import test_case

OK_FORMAT = False

name = "a7_discriminator_loss"
points = None

@test_case(points=1, hidden=False)
def test_discriminator_loss_public(discriminator_loss):
    import numpy as np
    import irlbook.tabular.adversarial
    from irlbook.book.grading import check_array, require_function, without_references
    require_function('discriminator_loss', discriminator_loss)
    discriminator_loss = without_references(discriminator_loss, irlbook.tabular.adversarial.airl_f, irlbook.tabular.adversarial.airl_logit, irlbook.tabular.adversarial.gan_gcl_logit, irlbook.tabular.adversarial.discriminator, irlbook.tabular.adversarial.discriminator_loss, irlbook.tabular.adversarial.adversarial_irl)
    check_array('discriminator_loss(0, p, p), the loss of D = 1/2 (must be log 4)', discriminator_loss(np.zeros(3), np.full(3, 1 / 3), np.full(3, 1 / 3)), np.log(4.0))
    logit, p, q = (np.array([2.0, -1.0]), np.array([0.7, 0.3]), np.array([0.4, 0.6]))
    D = 1 / (1 + np.exp(-logit))
    check_array('discriminator_loss([2, -1], [0.7, 0.3], [0.4, 0.6])', discriminator_loss(logit, p, q), -(p * np.log(D)).sum() - (q * np.log(1 - D)).sum())

