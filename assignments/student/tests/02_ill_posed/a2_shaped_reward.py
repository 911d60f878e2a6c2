from otter.test_files import test_case

OK_FORMAT = False

name = "a2_shaped_reward"
points = None

@test_case(points=1, hidden=False)
def test_shaped_reward_public(shaped_reward):
    import numpy as np
    import irlbook.core.shaping
    from irlbook.book.grading import check_array, random_mdp, require_function, without_references
    require_function('shaped_reward', shaped_reward)
    shaped_reward = without_references(shaped_reward, irlbook.core.shaping.shaped_reward, irlbook.core.shaping.expected_reward, irlbook.core.shaping.potential_shaping)
    mdp = random_mdp(n_states=4, n_actions=2, horizon=3, seed=0)
    rng = np.random.default_rng(0)
    reward, potential = (rng.normal(size=(4, 2)), rng.normal(size=4))
    check_array('shaped_reward(mdp, reward, potential)', shaped_reward(mdp, reward, potential), irlbook.core.shaping.shaped_reward(mdp, reward, potential))

