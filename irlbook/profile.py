"""Run profiles and device selection.

``IRLBOOK_PROFILE=quick`` (default): CPU-sized experiments, every notebook in
under two minutes on two cores. ``IRLBOOK_PROFILE=full``: the papers' sizes,
on CUDA when available. The library never hard-codes a device.
"""

from __future__ import annotations

import os

from .validation import check_choice

PROFILES = ("quick", "full")


def get_profile() -> str:
    """The active profile from ``IRLBOOK_PROFILE`` ("quick" when unset)."""
    profile = os.environ.get("IRLBOOK_PROFILE", "quick").strip().lower() or "quick"
    return check_choice(profile, "IRLBOOK_PROFILE", PROFILES)


def is_full() -> bool:
    return get_profile() == "full"


def pick(quick, full):
    """Choose a setting by profile: ``pick(quick=16, full=32)``."""
    return full if is_full() else quick


def get_device(prefer: str | None = None):
    """A ``torch.device``: ``prefer`` if given, else CUDA when available, else CPU."""
    import torch

    if prefer is not None:
        return torch.device(prefer)
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")
