"""Experiment records: one schema, written with provenance to ``results/``, and an index of them.

Every number the book reports from a run is written by :func:`save_result` as
``results/<name>.json``::

    {"schema": 2, "name": ..., "values": {...}, "reproduces": [...], "provenance": {...}}

with provenance: date, profile, device, library versions, seed, git commit, whether the working
tree had uncommitted changes (``dirty``) and the command that produced it. A record replaced by a
later one carries an optional top-level ``superseded_by`` (the newer record's name); it is kept,
because the book may still cite it as history. Records without ``schema`` are version 1 (no
``dirty``). :func:`write_index` lists every record in ``results/index.json``. The book's
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

import numpy as np

from ..profile import get_profile

#: Version of the record layout written by :func:`save_result` (1: before ``schema`` and ``dirty``).
RECORD_SCHEMA = 2
#: The index of ``results/``; it is not a record.
INDEX_NAME = "index.json"


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


def _git(root: Path, *args: str) -> str | None:
    """``git <args>`` in ``root``; None when git is missing or ``root`` is not in a checkout."""
    try:
        out = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout if out.returncode == 0 else None


def _commit(root: Path) -> str | None:
    out = _git(root, "rev-parse", "HEAD")
    return (out.strip() or None) if out is not None else None


def _dirty(root: Path) -> bool | None:
    """Whether ``git status --porcelain`` lists anything (None outside a git checkout)."""
    out = _git(root, "status", "--porcelain")
    return None if out is None else bool(out.strip())


def repository_root() -> Path | None:
    """The repository checkout this package is imported from, or None (a wheel or Colab install)."""
    root = Path(__file__).resolve().parents[2]
    return root if (root / "pyproject.toml").is_file() and (root / "irlbook").is_dir() else None


def provenance(seed=None, command: str | None = None) -> dict:
    """Date, profile, device, versions, seed, git commit, dirty working tree and command of this run."""
    root = repository_root() or Path.cwd()
    return {
        "date": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        "profile": get_profile(),
        "device": _device(),
        "versions": _versions(),
        "seed": seed,
        "git_commit": _commit(root),
        "dirty": _dirty(root),
        "command": command or " ".join(sys.argv),
    }


def results_dir() -> Path:
    """Where records are written and read: ``$IRLBOOK_RESULTS``, else the ``results/`` folder of the
    repository checkout the package is imported from, else ``./results``.

    Shipped data (the stored demonstrations, :mod:`irlbook.book.presets`) never depends on it."""
    if os.environ.get("IRLBOOK_RESULTS"):
        return Path(os.environ["IRLBOOK_RESULTS"])
    root = repository_root()
    return (root if root is not None else Path.cwd()) / "results"


def _plain(value):
    """JSON form of numpy values: arrays as lists, numpy scalars as Python numbers."""
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    return float(value)


def save_result(name: str, values: dict, seed=None, command: str | None = None, reproduces: list | None = None) -> Path:
    """Write ``results/<name>.json`` with ``values`` and provenance; return the path.

    ``reproduces`` lists paper claims, each ``{"paper": key, "quantity": str,
    "paper_value": number, "measured": number}``, for the Reproductions page.
    """
    directory = results_dir()
    directory.mkdir(parents=True, exist_ok=True)
    record = {"schema": RECORD_SCHEMA, "name": name, "values": values, "reproduces": reproduces or [],
              "provenance": provenance(seed, command)}
    path = directory / f"{name}.json"
    path.write_text(json.dumps(record, indent=2, sort_keys=True, default=_plain) + "\n")
    return path


def record_paths(directory=None) -> list[Path]:
    """The record files in ``directory`` (default :func:`results_dir`), sorted, without the index."""
    directory = Path(directory) if directory else results_dir()
    return [p for p in sorted(directory.glob("*.json")) if p.name != INDEX_NAME]


def load_results(directory=None) -> list[dict]:
    """All result records in ``directory`` (default :func:`results_dir`), sorted by file name."""
    return [json.loads(p.read_text()) for p in record_paths(directory)]


def build_index(directory=None) -> dict:
    """The index of ``directory``'s records: per record its name, file, date, number of paper claims
    (``reproduces``) and ``superseded_by`` (None while current). Raises ``ValueError`` when a
    ``superseded_by`` names no record in the directory."""
    directory = Path(directory) if directory else results_dir()
    entries = []
    for path in record_paths(directory):
        record = json.loads(path.read_text())
        entries.append({"name": record.get("name", path.stem), "file": path.name,
                        "date": record.get("provenance", {}).get("date"),
                        "reproduces": len(record.get("reproduces") or []),
                        "superseded_by": record.get("superseded_by")})
    names = {entry["name"] for entry in entries}
    for entry in entries:
        if entry["superseded_by"] is not None and entry["superseded_by"] not in names:
            raise ValueError(f"superseded_by of record {entry['name']!r} names no record in {directory}: "
                             f"{entry['superseded_by']!r}")
    return {"schema": RECORD_SCHEMA, "records": entries}


def write_index(directory=None) -> Path:
    """Write :func:`build_index` to ``<directory>/index.json``; return the path."""
    directory = Path(directory) if directory else results_dir()
    path = directory / INDEX_NAME
    path.write_text(json.dumps(build_index(directory), indent=2, sort_keys=True) + "\n")
    return path
