"""The one network builder of the torch package, and the device/generator helpers every torch module uses.

:func:`mlp` builds the multilayer perceptrons of SAC (actor, critics), GCL's and deep MaxEnt's reward
networks and the adversarial discriminators. Its parameters are drawn from a *local*
``torch.Generator`` (seeded from an integer), never from torch's global generator: building a
network leaves ``torch.get_rng_state()`` unchanged, and the same seed gives the same network
whatever the caller drew before. The draws are those of ``torch.nn.Linear``'s own initialisation
(Kaiming-uniform weights, uniform biases in ``+-1/sqrt(fan_in)``), layer by layer, so
``mlp(..., generator=seed)`` equals what ``torch.manual_seed(seed)`` followed by ``nn.Linear`` layers gave.
"""

from __future__ import annotations

import math

import torch
import torch.nn as nn

from ..profile import get_device
from ..validation import ArgumentTypeError, check_hidden, check_int, check_positive_int


def as_device(device=None, name: str = "device") -> torch.device:
    """``device`` as a ``torch.device`` (``None``: CUDA when available, else CPU); a bad one raises
    ``ValueError`` naming ``name``."""
    if isinstance(device, torch.device):
        return device
    if device is not None and not isinstance(device, str):
        raise ArgumentTypeError(f"{name} must be None, a string such as 'cpu' or 'cuda', or a torch.device, "
                                f"got {device!r}")
    try:
        return get_device(device)
    except RuntimeError as error:
        raise ValueError(f"{name}: {error}") from None


def as_generator(generator=None, name: str = "generator", device="cpu") -> torch.Generator:
    """A ``torch.Generator`` on ``device``: ``generator`` itself, or a new one seeded with the integer
    ``generator`` (``None``: seed 0)."""
    if isinstance(generator, torch.Generator):
        return generator
    seed = check_int(0 if generator is None else generator, name, minimum=0)
    return torch.Generator(device=device).manual_seed(seed)


@torch.no_grad()
def init_linear_(layer: nn.Linear, generator: torch.Generator) -> nn.Linear:
    """``nn.Linear``'s default initialisation, drawn from ``generator``."""
    nn.init.kaiming_uniform_(layer.weight, a=math.sqrt(5), generator=generator)
    if layer.bias is not None:
        bound = 1 / math.sqrt(layer.in_features) if layer.in_features > 0 else 0.0
        nn.init.uniform_(layer.bias, -bound, bound, generator=generator)
    return layer


def mlp(n_in: int, n_out: int, hidden=(64, 64), activation=nn.ReLU, generator=None, dtype=None,
        device=None) -> nn.Sequential:
    """A multilayer perceptron ``[B, n_in] -> [B, n_out]``: ``Linear`` layers of widths ``hidden`` with
    ``activation`` between them (none after the last).

    ``generator``: a CPU ``torch.Generator`` or an integer seed (``None``: seed 0); the parameters are
    drawn from it in float32 on the CPU, then moved to ``device`` (default CPU) and ``dtype`` (default
    float32). Torch's global random state is not touched.
    """
    n_in, n_out = check_positive_int(n_in, "n_in"), check_positive_int(n_out, "n_out")
    hidden = check_hidden(hidden)
    if not (isinstance(activation, type) and issubclass(activation, nn.Module)):
        raise ArgumentTypeError(f"activation must be a torch.nn.Module class such as nn.ReLU, got {activation!r}")
    gen = as_generator(generator)
    if gen.device.type != "cpu":
        raise ValueError(f"generator must be a CPU generator (parameters are drawn on the CPU), got {gen.device}")
    layers, width = [], n_in
    for h in hidden:
        # built on the meta device (no draw from the global generator), then drawn from ``gen``
        layers += [init_linear_(nn.Linear(width, h, device="meta").to_empty(device="cpu"), gen), activation()]
        width = h
    layers.append(init_linear_(nn.Linear(width, n_out, device="meta").to_empty(device="cpu"), gen))
    return nn.Sequential(*layers).to(device=as_device(device) if device is not None else torch.device("cpu"),
                                     dtype=dtype or torch.float32)
