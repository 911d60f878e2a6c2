from otter.test_files import test_case

OK_FORMAT = False

name = "a4_noncausal_visitation"
points = None

@test_case(points=1, hidden=False)
def test_noncausal_visitation_public(noncausal_visitation):
    import numpy as np
    import irlbook
    import irlbook.tabular.maxent
    from irlbook.book.grading import check_array, random_mdp, require_function, without_references
    from irlbook.tabular.maxent import noncausal_visitation as model_visitation
    require_function('noncausal_visitation', noncausal_visitation)
    noncausal_visitation = without_references(noncausal_visitation, irlbook.state_visitation, irlbook.tabular.maxent.noncausal_visitation, irlbook.tabular.maxent.maxent_objective)
    mdp = random_mdp(n_states=4, n_actions=2, horizon=4, seed=0)
    reward = np.array([0.0, 1.0, -1.0, 2.0])
    plan = irlbook.soft_value_iteration(mdp, reward, causal=False)
    check_array('noncausal_visitation(mdp, reward)', noncausal_visitation(mdp, reward), model_visitation(mdp, plan))

