"""The one network builder of irlbook.deep: local generators, no global side effects, checked arguments."""

import pytest

torch = pytest.importorskip("torch")

from irlbook.deep.networks import as_device, mlp  # noqa: E402


def test_mlp_is_seeded_locally_and_matches_torch_default_initialisation():
    state = torch.get_rng_state()
    a, b = mlp(4, 2, (8, 8), generator=3), mlp(4, 2, (8, 8), generator=torch.Generator().manual_seed(3))
    assert torch.equal(state, torch.get_rng_state())                  # nothing global was drawn
    assert all(torch.equal(p, q) for p, q in zip(a.parameters(), b.parameters(), strict=True))
    torch.manual_seed(3)                                              # what nn.Linear itself draws under that seed
    reference = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.ReLU(), torch.nn.Linear(8, 8), torch.nn.ReLU(),
                                    torch.nn.Linear(8, 2))
    assert all(torch.equal(p, q) for p, q in zip(a.parameters(), reference.parameters(), strict=True))
    assert not torch.equal(mlp(4, 2, (8, 8), generator=4)[0].weight, a[0].weight)
    torch.set_rng_state(state)


def test_mlp_shapes_dtype_activation():
    net = mlp(3, 1, (), dtype=torch.float64)
    assert len(net) == 1 and net(torch.zeros(5, 3, dtype=torch.float64)).shape == (5, 1)
    net = mlp(3, 2, (4,), activation=torch.nn.Tanh)
    assert isinstance(net[1], torch.nn.Tanh) and net[0].weight.dtype == torch.float32


@pytest.mark.parametrize("kwargs,name", [({"n_in": 0}, "n_in"), ({"n_out": -1}, "n_out"),
                                         ({"hidden": (4, 0)}, "hidden"),
                                         ({"hidden": 64}, "hidden"), ({"generator": -1}, "generator"),
                                         ({"device": "nonsense"}, "device"), ({"activation": "relu"}, "activation")])
def test_mlp_rejects_bad_arguments(kwargs, name):
    with pytest.raises(ValueError, match=name):
        mlp(**{"n_in": 2, "n_out": 1, **kwargs})


def test_as_device():
    assert as_device("cpu") == torch.device("cpu")
    with pytest.raises(ValueError, match="device"):
        as_device(3)
