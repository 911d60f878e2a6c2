"""Experiment records: one schema, written with provenance to ``results/``, and an index of them.

Every number the book reports from a run is written by :func:`save_result` as
``results/<name>.json``::

    {"schema": 2, "name": ..., "values": {...}, "reproduces": [...], "provenance": {...}}

with provenance: date, profile, device, library versions, seed, git commit, whether the working
tree had uncommitted changes outside ``results/`` (``dirty``) and the command that produced it. A record replaced by a
later one carries an optional top-level ``superseded_by`` (the newer record's name); it is kept,
because the book may still cite it as history. Records without ``schema`` are version 1 (no
``dirty``). :func:`write_index` lists every record in ``results/index.json``. The book's
"Reproductions" page reads these files; nothing there is typed in by hand.

Paper claims
------------
A record's ``reproduces`` list holds one entry per quantity of a paper that the run measures::

    {"paper": "ho2016generative",            # key in references.bib
     "chapter": "07_irl_as_gan",             # the chapter that reports it: book/<chapter>.md
     "quantity": "GAIL, CartPole-v1: normalised score",
     "paper_value": {"text": "≈ 1.0 (the expert's return)", "value": 1.0},   # value: number, list or null
     "measured": {"key": "values.cartpole.gail.normalised",   # dotted path into this record
                  "versus": "values....",     # optional: the paper's comparison, shown "A vs B"
                  "pool": ["other_record"],   # optional: records holding more seeds of the same keys
                  "per": "seed",              # "seed" (a list is one number per seed) or "component"
                  "format": ".3g"},           # optional format spec of the numbers shown
     "scale": {"ours": "{values.cartpole.n_demos} demonstrations, ...", "paper": "..."},
     "rule": {"reproduced": {"at_least": 0.9}, "qualitative": {"above_versus": true}},
     "verdict": "reproduced", "reason": "one line: why the verdict"}

Paths use the syntax of the book's ``{record}`` role: dots between keys, integers index lists, and
``name[*]`` maps the rest of the path over the list ``name``. The measured number is never typed:
:func:`measure_claim` computes it from the record (mean ± standard deviation, ``ddof=0``, over the
seeds, and their number). ``{path}`` or ``{path:spec}`` in ``scale["ours"]`` is filled from the
record by :func:`fill_scale`. The verdict follows from the numbers by one rule, :func:`claim_verdict`:

* **reproduced** when the ``reproduced`` condition holds: ``within t`` (every component of the mean
  within ``t`` of ``paper_value["value"]``) or ``at_least x`` (the mean is at least ``x``; for
  normalised scores, where random scores 0 and the expert 1, expert level is ``at_least 0.9``);
  it needs a paper number on our scale;
* **qualitative** when only the ``qualitative`` condition holds: ``above_versus`` (the paper's
  ordering: the mean exceeds the mean of ``versus`` by more than the standard error of their difference over
  seeds, so that a tie within the seeds' spread is no ordering; with one seed, by any amount) or ``at_least x``
  where the paper has no number on our task and states the claim in words;
* **not reproduced** otherwise.

The stored ``verdict`` must equal :func:`claim_verdict`'s (:func:`check_claim` raises otherwise), so
a rerun that changes the numbers cannot leave a stale verdict on the page.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import platform
import re
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


#: environment variables that pin the instruction set of MKL, the BLAS behind torch's CPU kernels
MKL_VARIABLES = ("MKL_ENABLE_INSTRUCTIONS", "MKL_CBWR")


def mkl_pins() -> list[str]:
    """The MKL instruction pins (:data:`MKL_VARIABLES`) this process runs under, as ``NAME=value`` strings."""
    return [f"{name}={os.environ[name]}" for name in MKL_VARIABLES if os.environ.get(name)]


def describe_device() -> str:
    """Where this process computes: the CUDA device's name once torch is imported and sees one, else the CPU, with
    torch's CPU kernel level (``AVX512``, ``AVX2``, ``DEFAULT``) and any MKL instruction pin (:data:`MKL_VARIABLES`).
    The kernel level matters for reproduction: the same checkpoint run through AVX-512 and SSE4.2 matrix products
    differs in the last bits, and a chaotic rollout (a walking MuJoCo ant) amplifies that into other episodes."""
    torch = sys.modules.get("torch")
    if torch is not None and torch.cuda.is_available():
        return f"cuda: {torch.cuda.get_device_name(0)}"
    text = f"cpu: {platform.processor() or platform.machine()}, {os.cpu_count()} cores"
    if torch is not None:
        text += f", torch kernels {torch.backends.cpu.get_cpu_capability()}"
    return text + "".join(f", {pin}" for pin in mkl_pins())


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
    """Whether ``git status --porcelain`` lists anything outside ``results/`` (None outside a git checkout): the code
    differs from the commit. Records and checkpoints are what runs write, so a sweep's own outputs do not count."""
    out = _git(root, "status", "--porcelain", "--", ".", ":(exclude)results")
    return None if out is None else bool(out.strip())


def repository_root() -> Path | None:
    """The repository checkout this package is imported from, or None (a wheel or Colab install)."""
    root = Path(__file__).resolve().parents[2]
    return root if (root / "pyproject.toml").is_file() and (root / "irlbook").is_dir() else None


def provenance(seed=None, command: str | None = None, device: str | None = None) -> dict:
    """Date, profile, device, versions, seed, git commit, dirty working tree and command of this run.

    ``device``: where the values were computed when that was another process (a sweep's worker); default this
    process's (:func:`describe_device`)."""
    root = repository_root() or Path.cwd()
    return {
        "date": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        "profile": get_profile(),
        "device": device or describe_device(),
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


def save_result(name: str, values: dict, seed=None, command: str | None = None, reproduces: list | None = None,
                device: str | None = None) -> Path:
    """Write ``results/<name>.json`` with ``values`` and provenance; return the path.

    ``reproduces`` lists paper claims (the schema in this module's docstring) for the Reproductions
    page. None keeps the claims of the record being overwritten, if any (their numbers are
    recomputed from the new values when the page is built); ``[]`` removes them. ``device``: as in
    :func:`provenance`.
    """
    directory = results_dir()
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{name}.json"
    if reproduces is None and path.is_file():
        reproduces = json.loads(path.read_text()).get("reproduces")
    record = {"schema": RECORD_SCHEMA, "name": name, "values": values, "reproduces": reproduces or [],
              "provenance": provenance(seed, command, device)}
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


# ----------------------------------------------------------------------------- paper claims
#: The verdicts of the Reproductions page, best first.
VERDICTS = ("reproduced", "qualitative", "not reproduced")
_CONDITIONS = ("within", "at_least", "above_versus")
_CLAIM_KEYS = ("paper", "chapter", "quantity", "paper_value", "measured", "scale", "rule", "verdict", "reason")


def record_lookup(record: dict, path: str):
    """The value at the dotted ``path`` of ``record``: integers index lists, ``name[*]`` maps the
    rest of the path over the list ``name``. Raises ``ValueError`` naming the path when it is missing."""
    if not isinstance(path, str) or not path:
        raise ValueError(f"path must be a non-empty string, got {path!r}")
    value = record
    parts = path.split(".")
    for i, part in enumerate(parts):
        if part.endswith("[*]"):
            items = _step(value, part[:-3], path) if part[:-3] else value
            if not isinstance(items, list):
                raise ValueError(f"path {path!r}: {part!r} is not a list")
            rest = ".".join(parts[i + 1:])
            return [record_lookup(item, rest) if rest else item for item in items]
        value = _step(value, part, path)
    return value


def _step(value, part: str, path: str):
    if isinstance(value, list):
        try:
            return value[int(part)]
        except (ValueError, IndexError):
            raise ValueError(f"path {path!r}: no item {part!r} in a list of {len(value)}") from None
    if isinstance(value, dict) and part in value:
        return value[part]
    raise ValueError(f"path {path!r}: no key {part!r}")


def _numbers(value, path: str) -> np.ndarray:
    array = np.asarray(value, dtype=object)
    if array.dtype == object and not all(isinstance(v, (int, float)) and not isinstance(v, bool)
                                         for v in array.ravel()):
        raise ValueError(f"measured path {path!r} does not hold numbers: {value!r}")
    array = array.astype(float)
    if array.ndim > 1:
        raise ValueError(f"measured path {path!r} holds a {array.ndim}-d array; a claim measures a number "
                         f"per seed or a vector")
    return array


def _summary(records: list[dict], path: str, per: str) -> dict:
    """Mean, std (ddof=0) and number of seeds of ``path`` pooled over ``records``."""
    samples = [_numbers(record_lookup(record, path), path) for record in records]
    if per == "component":
        if len(samples) != 1:
            raise ValueError(f"measured path {path!r}: a per-component quantity cannot be pooled over records")
        values = np.atleast_1d(samples[0])
        return {"mean": values, "std": None, "n_seeds": None, "samples": values}
    values = np.concatenate([np.atleast_1d(s) for s in samples])
    return {"mean": float(values.mean()), "std": float(values.std()) if values.size > 1 else None,
            "n_seeds": int(values.size), "samples": values}


def check_claim(claim: dict, complete: bool = True) -> dict:
    """Raise ``ValueError`` naming the field when ``claim`` does not follow the schema; return it.

    ``complete=False`` checks what :func:`measure_claim` needs and lets ``verdict`` and ``reason`` be absent."""
    if not isinstance(claim, dict):
        raise ValueError(f"claim must be a dict, got {claim!r}")
    required = _CLAIM_KEYS if complete else _CLAIM_KEYS[:-2]
    missing = [key for key in required if key not in claim]
    if missing:
        raise ValueError(f"claim {claim.get('quantity', claim)!r} lacks {', '.join(missing)}")
    for key in ("paper", "chapter", "quantity", "reason")[:None if complete else 3]:
        if not isinstance(claim[key], str) or not claim[key].strip():
            raise ValueError(f"claim field {key} must be a non-empty string, got {claim[key]!r}")
    paper_value = claim["paper_value"]
    if not isinstance(paper_value, dict) or not isinstance(paper_value.get("text"), str) or "value" not in paper_value:
        raise ValueError(f"claim field paper_value must be {{'text': str, 'value': number, list or null}}, "
                         f"got {paper_value!r}")
    measured = claim["measured"]
    if not isinstance(measured, dict) or not isinstance(measured.get("key"), str):
        raise ValueError(f"claim field measured must be {{'key': path, ...}}, got {measured!r}")
    unknown = set(measured) - {"key", "versus", "pool", "per", "format"}
    if unknown:
        raise ValueError(f"claim field measured has unknown keys {sorted(unknown)}")
    if measured.get("per", "seed") not in ("seed", "component"):
        raise ValueError(f"claim field measured.per must be 'seed' or 'component', got {measured['per']!r}")
    scale = claim["scale"]
    if not isinstance(scale, dict) or set(scale) != {"ours", "paper"}:
        raise ValueError(f"claim field scale must be {{'ours': str, 'paper': str}}, got {scale!r}")
    rule = claim["rule"]
    if not isinstance(rule, dict) or set(rule) != {"reproduced", "qualitative"}:
        raise ValueError(f"claim field rule must have the keys 'reproduced' and 'qualitative', got {rule!r}")
    for level, condition in rule.items():
        if condition is None:
            continue
        if not isinstance(condition, dict) or len(condition) != 1 or next(iter(condition)) not in _CONDITIONS:
            raise ValueError(f"claim field rule.{level} must be null or one of {_CONDITIONS}, got {condition!r}")
        if "within" in condition and paper_value["value"] is None:
            raise ValueError(f"claim field rule.{level}: 'within' needs a paper_value.value")
        if "above_versus" in condition and "versus" not in measured:
            raise ValueError(f"claim field rule.{level}: 'above_versus' needs measured.versus")
    if rule["reproduced"] is not None and paper_value["value"] is None:
        raise ValueError("claim field rule.reproduced: a claim without a paper number on our scale "
                         "(paper_value.value null) can at best be qualitative")
    if complete and claim["verdict"] not in VERDICTS:
        raise ValueError(f"claim field verdict must be one of {VERDICTS}, got {claim['verdict']!r}")
    return claim


def measure_claim(record: dict, claim: dict, records: dict | None = None) -> dict:
    """The numbers behind ``claim`` of ``record``, computed from the record's values.

    ``records`` maps record names to records, for ``measured.pool``. Returns ``{"mean", "std",
    "n_seeds", "samples", "versus", "records"}``: mean and std (ddof=0) over the seeds (a vector and
    None for ``per: component``), ``versus`` the same summary of the comparison key or None, and
    ``records`` the names of the records the numbers come from."""
    check_claim(claim, complete=False)
    measured = claim["measured"]
    pooled = [record]
    for name in measured.get("pool", []):
        if not records or name not in records:
            raise ValueError(f"claim {claim['quantity']!r}: measured.pool names no record {name!r}")
        pooled.append(records[name])
    per = measured.get("per", "seed")
    summary = _summary(pooled, measured["key"], per)
    summary["versus"] = _summary(pooled, measured["versus"], per) if "versus" in measured else None
    summary["records"] = [r.get("name", "") for r in pooled]
    return summary


def _holds(condition: dict | None, summary: dict, paper_value) -> bool:
    if condition is None:
        return False
    (kind, argument), = condition.items()
    mean = np.atleast_1d(summary["mean"])
    if kind == "within":
        target = np.atleast_1d(np.asarray(paper_value, dtype=float))
        return mean.shape == target.shape and bool(np.all(np.abs(mean - target) <= float(argument)))
    if kind == "at_least":
        return bool(np.all(mean >= float(argument)))
    versus = summary["versus"]
    return bool(argument) and bool(np.all(mean - np.atleast_1d(versus["mean"]) > _difference_error(summary, versus)))


def _difference_error(a: dict, b: dict) -> float:
    """The standard error of the difference of the means of two summaries over seeds (sample variances, ddof=1),
    0 when either has one seed: the margin by which an ordering must hold to be more than the seeds' noise."""
    if not a["n_seeds"] or not b["n_seeds"] or a["n_seeds"] < 2 or b["n_seeds"] < 2:
        return 0.0
    return float(np.sqrt(a["std"] ** 2 / (a["n_seeds"] - 1) + b["std"] ** 2 / (b["n_seeds"] - 1)))


def judge_claims(claims: list[dict], values: dict, reasons: dict) -> list[dict]:
    """``claims`` of a record whose values are ``values``, each with its verdict (:func:`claim_verdict` on
    :func:`measure_claim`) and the reason ``reasons[verdict]``: how an experiment states the claims it measures."""
    record = {"values": values}
    judged = []
    for claim in claims:
        verdict = claim_verdict(claim, measure_claim(record, claim))
        judged.append({**claim, "verdict": verdict, "reason": reasons[verdict]})
    return judged


def claim_verdict(claim: dict, summary: dict) -> str:
    """The verdict that ``claim``'s rule gives on ``summary`` (:func:`measure_claim`): "reproduced"
    when ``rule.reproduced`` holds, else "qualitative" when ``rule.qualitative`` holds, else
    "not reproduced"."""
    value = claim["paper_value"]["value"]
    if _holds(claim["rule"]["reproduced"], summary, value):
        return "reproduced"
    if _holds(claim["rule"]["qualitative"], summary, value):
        return "qualitative"
    return "not reproduced"


def fill_scale(record: dict, text: str) -> str:
    """``text`` with every ``{path}`` or ``{path:spec}`` replaced by the record's value there (a list
    is joined by ×, as a network shape is written)."""
    def replace(match):
        path, _, spec = match.group(1).partition(":")
        value = record_lookup(record, path)
        if isinstance(value, list):
            return "×".join(format(v, spec) for v in value)   # a list is a network shape: 64×64
        return format(value, spec)

    return re.sub(r"\{([^{}]+)\}", replace, text)
