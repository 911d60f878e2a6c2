"""Saving experiment results with provenance to ``results/``.

Every number the book reports from a run is written by :func:`save_result` as
``results/<name>.json``: the values plus the date, profile, device, seed,
library versions, git commit and the command that produced it. The book's
"Reproductions" page reads these files; nothing there is typed in by hand.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import platform
import subprocess
import sys
from pathlib import Path

from ..profile import get_profile


def _versions() -> dict:
    versions = {"python": platform.python_version()}
    for name in ("numpy", "scipy", "torch", "gymnasium", "mujoco", "cvxpy"):
        module = sys.modules.get(name)
        if module is not None:
            versions[name] = getattr(module, "__version__", "unknown")
    from .. import __version__

    versions["irlbook"] = __version__
    return versions


def _device() -> str:
    torch = sys.modules.get("torch")
    if torch is not None and torch.cuda.is_available():
        return f"cuda: {torch.cuda.get_device_name(0)}"
    return f"cpu: {platform.processor() or platform.machine()}, {os.cpu_count()} cores"


def _commit(root: Path) -> str | None:
    try:
        out = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None


def provenance(seed=None, command: str | None = None) -> dict:
    """Date, profile, device, versions, seed, git commit and command of this run."""
    root = Path(__file__).resolve().parents[2]
    return {
        "date": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        "profile": get_profile(),
        "device": _device(),
        "versions": _versions(),
        "seed": seed,
        "git_commit": _commit(root),
        "command": command or " ".join(sys.argv),
    }


def results_dir() -> Path:
    """``$IRLBOOK_RESULTS`` or the repository's ``results/`` folder."""
    return Path(os.environ.get("IRLBOOK_RESULTS", Path(__file__).resolve().parents[2] / "results"))


def save_result(name: str, values: dict, seed=None, command: str | None = None, reproduces: list | None = None) -> Path:
    """Write ``results/<name>.json`` with ``values`` and provenance; return the path.

    ``reproduces`` lists paper claims, each ``{"paper": key, "quantity": str,
    "paper_value": number, "measured": number}``, for the Reproductions page.
    """
    directory = results_dir()
    directory.mkdir(parents=True, exist_ok=True)
    record = {"name": name, "values": values, "reproduces": reproduces or [], "provenance": provenance(seed, command)}
    path = directory / f"{name}.json"
    path.write_text(json.dumps(record, indent=2, sort_keys=True, default=float) + "\n")
    return path


def load_results(directory=None) -> list[dict]:
    """All result records in ``directory`` (default :func:`results_dir`), sorted by name."""
    directory = Path(directory) if directory else results_dir()
    return [json.loads(p.read_text()) for p in sorted(directory.glob("*.json"))]
