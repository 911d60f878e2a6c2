"""What every experiment runner does the same way: its options, its command line, its record.

* :func:`parser`: an ``argparse`` parser whose description is the runner's docstring.
* :func:`add_seeds` / :func:`add_seed` / :func:`add_name`: the ``--seeds``, ``--seed`` and
  ``--name`` (alias ``--out``) options.
* :func:`command`: the command line that reproduces a run, for the record's provenance.
* :func:`save`: write the record (:func:`irlbook.book.records.save_result`) and say where.
* :func:`map_jobs`: seeded runs, several at a time in fresh processes, one core each.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..book.records import save_result

PROGRAM = "python -m irlbook.experiments"


def parser(name: str, doc: str | None) -> argparse.ArgumentParser:
    """An argument parser for experiment ``name`` that shows ``doc`` (the module docstring) under ``--help``."""
    return argparse.ArgumentParser(prog=f"{PROGRAM} {name}", description=doc,
                                   formatter_class=argparse.RawDescriptionHelpFormatter)


def add_seeds(p: argparse.ArgumentParser, default: list[int]) -> None:
    """``--seeds S [S ...]``: one run per seed."""
    p.add_argument("--seeds", type=int, nargs="+", default=list(default), help=f"seeds (default {default})")


def add_seed(p: argparse.ArgumentParser, default: int = 0) -> None:
    """``--seed S``: the one seed of the run."""
    p.add_argument("--seed", type=int, default=default, help=f"seed (default {default})")


def add_name(p: argparse.ArgumentParser, default: str | None, required: bool = False) -> None:
    """``--name NAME`` (also ``--out``): the record is written to ``results/<NAME>.json``."""
    p.add_argument("--name", "--out", dest="name", default=default, required=required,
                   help="record name: results/<name>.json" + (f" (default {default})" if default else ""))


def parse(p: argparse.ArgumentParser, argv: list[str] | None) -> argparse.Namespace:
    """Parse ``argv`` and pin torch to one thread: each run uses one core, so runs in parallel on
    several cores do not compete (the commands also set ``OMP_NUM_THREADS=1``)."""
    import torch

    args = p.parse_args(argv)
    torch.set_num_threads(1)
    return args


def command(name: str, argv: list[str] | None, env: str = "OMP_NUM_THREADS=1") -> str:
    """The command line of this run: ``[pins] [env] python -m irlbook.experiments <name> <argv>`` (``argv`` None:
    this process's own arguments), where ``pins`` are the MKL instruction pins this process runs under
    (:func:`~irlbook.book.records.mkl_pins`), part of what it takes to repeat a run bit for bit."""
    from ..book.records import mkl_pins

    args = sys.argv[1:] if argv is None else list(argv)
    return " ".join(part for part in (*mkl_pins(), env, PROGRAM, name, *args) if part)


def save(record_name: str, values: dict, seed, experiment: str, argv: list[str] | None,
         env: str = "OMP_NUM_THREADS=1", reproduces: list | None = None) -> Path:
    """Write ``results/<record_name>.json`` with ``values`` and provenance (the command of experiment
    ``experiment`` with ``argv``); print and return its path."""
    path = save_result(record_name, values, seed=seed, command=command(experiment, argv, env), reproduces=reproduces)
    print(f"wrote {path}", flush=True)
    return path


def _one_thread(fn, job: dict):
    import torch

    threads = torch.get_num_threads()
    torch.set_num_threads(1)                 # one core per run, here or in a worker: the same numbers
    try:
        return fn(**job)
    finally:
        torch.set_num_threads(threads)


def map_jobs(fn, jobs: list, workers: int | None = None) -> list:
    """``fn(**job)`` for every job (a dict of keyword arguments), ``workers`` at a time in fresh (spawned)
    processes with one torch thread each (default: the cores; 1 runs them here, one after another). ``fn`` must
    be a module-level function. Results come in the order of ``jobs``; seeded runs do not depend on ``workers``."""
    import os
    from functools import partial

    workers = min(len(jobs), os.cpu_count() or 1) if workers is None else int(workers)
    if workers <= 1:
        return [_one_thread(fn, job) for job in jobs]
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        return list(pool.map(partial(_one_thread, fn), jobs))
