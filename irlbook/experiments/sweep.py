"""Run an experiment's jobs -- (experiment, setting, seed) -- on local cores or on a Ray cluster, resumably::

    python -m irlbook.experiments sweep disabled_ant                      # every setting, default seeds, local cores
    python -m irlbook.experiments sweep gail_mujoco --settings hopper_expert --seeds 0 1 --workers 2
    python -m irlbook.experiments sweep disabled_ant --ray                  # a local Ray (ray.init())
    python -m irlbook.experiments sweep disabled_ant --address auto         # a running cluster: ray.init(address=...)

A sweepable experiment is a module of this package with ``SETTINGS`` (name -> parameters), ``SEEDS`` (the
default seeds), optionally ``DEPENDS`` (setting -> the setting of the same seed it needs first, e.g. the
expert whose demonstrations it imitates), ``summarise(values) -> dict`` and ``claims(summary_values) -> list``
(the papers' claims a summary measures, of the settings in ``summary_values["settings"]``: its
``reproduces``), and
``run_job(setting, seed, checkpoint_dir, max_seconds=None) -> dict | None``: the job's values, or ``None``
when it stopped after ``max_seconds`` with its state saved in ``checkpoint_dir``
(``results/checkpoints/<experiment>/<setting>/seed<k>/``).

The runner writes one record per finished job, ``results/<experiment>_<setting>_seed<k>.json``
(:func:`irlbook.book.records.save_result`, written by this process, not by the workers), and a summary record
``<experiment>_sweep`` once every job of the whole sweep (every setting, the default seeds) has a record, whichever
command finished the last one (``--name NAME``: a summary ``NAME`` of just the jobs asked for, without claims). An
experiment whose settings form independent reproductions (one per environment, say) names them in ``GROUPS``
(group -> its settings); each group then has its own summary, ``<experiment>_<group>_sweep``, written with the
group's claims as soon as the group's jobs have finished. Re-running the same
command skips finished jobs (their record exists) and resumes unfinished ones from their checkpoints.
Jobs run in a process pool (``--workers``, default: the cores), one after another in this process
(``--workers 1``), or as Ray tasks (``--ray`` or ``--address``; ``pip install irlbook[ray]``; Ray is
imported only then). On a cluster, ``--checkpoint-root`` must be a folder every node sees (a shared file
system): jobs read the outputs of the jobs they depend on from there.
"""

from __future__ import annotations

import importlib
import json
import os
import sys
from pathlib import Path

from ..book.records import describe_device, results_dir, save_result
from . import common

#: Experiments the runner can sweep (each a module of this package with SETTINGS, SEEDS and run_job).
SWEEPABLE = ("airl_onpolicy_pendulum", "disabled_ant", "gail_mujoco", "sweep_toy")


def load(experiment: str):
    """The sweepable module ``experiment``."""
    if experiment not in SWEEPABLE:
        raise ValueError(f"experiment must be one of {list(SWEEPABLE)}, got {experiment!r}")
    return importlib.import_module(f"irlbook.experiments.{experiment}")


def record_name(experiment: str, setting: str, seed: int) -> str:
    return f"{experiment}_{setting}_seed{seed}"


def checkpoint_dir(root, experiment: str, setting: str, seed: int) -> Path:
    """``<root>/<experiment>/<setting>/seed<seed>`` (``root`` default ``results/checkpoints``)."""
    root = Path(root) if root is not None else results_dir() / "checkpoints"
    return root / experiment / setting / f"seed{seed}"


def execute(experiment: str, setting: str, seed: int, root, max_seconds=None):
    """Run one job (in a worker): one torch thread, its checkpoint folder; returns ``{"values": run_job's values or
    None, "device": where they were computed}`` (the worker's device, which the record's provenance names)."""
    os.environ.setdefault("OMP_NUM_THREADS", "1")       # torch reads it when the job imports it
    if "torch" in sys.modules:
        sys.modules["torch"].set_num_threads(1)
    module = load(experiment)
    folder = checkpoint_dir(root, experiment, setting, seed)
    folder.mkdir(parents=True, exist_ok=True)
    values = module.run_job(setting, seed, folder, max_seconds=max_seconds)
    return {"values": values, "device": describe_device()}


def _read_values(name: str):
    path = results_dir() / f"{name}.json"
    return json.loads(path.read_text())["values"] if path.is_file() else None


# ---------------------------------------------------------------------------- executors
class _Sequential:
    slots = 1                       # one job at a time: its record is written before the next one starts

    def submit(self, *args):
        return ("done", execute(*args))

    def wait(self, handles):
        return handles

    def result(self, handle):
        return handle[1]

    def close(self):
        pass


class _Pool:
    def __init__(self, workers: int):
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        self.pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"))
        self.slots = workers

    def submit(self, *args):
        return self.pool.submit(execute, *args)

    def wait(self, handles):
        from concurrent.futures import FIRST_COMPLETED, wait

        return list(wait(handles, return_when=FIRST_COMPLETED).done)

    def result(self, handle):
        return handle.result()

    def close(self):
        self.pool.shutdown()


class _Ray:
    def __init__(self, address=None, cpus_per_job: float = 1.0, gpus_per_job: float = 0.0):
        try:
            import ray
        except ImportError:
            raise ValueError("--ray / --address need Ray: pip install 'irlbook[ray]'") from None
        if not ray.is_initialized():
            ray.init(address=address) if address else ray.init()
        self.ray = ray
        self.slots = float("inf")   # the cluster's scheduler queues what it cannot place yet
        self.remote = ray.remote(num_cpus=cpus_per_job, num_gpus=gpus_per_job)(execute)

    def submit(self, *args):
        return self.remote.remote(*args)

    def wait(self, handles):
        return self.ray.wait(list(handles), num_returns=1)[0]

    def result(self, handle):
        return self.ray.get(handle)

    def close(self):
        pass


# ---------------------------------------------------------------------------- the sweep
def run_sweep(experiment: str, settings=None, seeds=None, backend: str = "local", workers: int | None = None,
              address: str | None = None, checkpoint_root=None, max_seconds: float | None = None,
              summary_name: str | None = None, cpus_per_job: float = 1.0, gpus_per_job: float = 0.0,
              log=None) -> dict:
    """Run every (setting, seed) job of ``experiment`` not yet finished; returns ``{"finished": [...],
    "unfinished": [...], "summary": path or None}``.

    ``backend``: ``"local"`` (a process pool of ``workers``, default the cores; 1 runs in this process),
    ``"sequential"`` or ``"ray"`` (``ray.init(address=address)``, or ``ray.init()`` without an address,
    unless Ray is already initialised). ``log(message)``: where progress goes (default: nowhere).
    """
    module = load(experiment)
    settings = list(module.SETTINGS) if settings is None else list(settings)
    for s in settings:
        if s not in module.SETTINGS:
            raise ValueError(f"settings: {s!r} is not a setting of {experiment}; choose from {list(module.SETTINGS)}")
    seeds = list(module.SEEDS) if seeds is None else [int(k) for k in seeds]
    if backend not in ("local", "sequential", "ray"):
        raise ValueError(f"backend must be 'local', 'sequential' or 'ray', got {backend!r}")
    log = log or (lambda message: None)
    depends = getattr(module, "DEPENDS", {})
    pending = []
    for s in settings:                       # a job's dependency joins the sweep even if not asked for
        for dep in _chain(depends, s):
            if dep not in settings and dep not in pending:
                pending.append(dep)
    jobs = [(s, k) for s in [*pending, *settings] for k in seeds]
    done = {job for job in jobs if _read_values(record_name(experiment, *job)) is not None}
    if workers is None:
        workers = os.cpu_count() or 1
    if backend == "ray":
        executor = _Ray(address, cpus_per_job, gpus_per_job)
    elif backend == "sequential" or workers <= 1:
        executor = _Sequential()
    else:
        executor = _Pool(workers)
    running, unfinished = {}, []
    try:
        while True:
            for job in jobs:
                if len(running) >= executor.slots:
                    break
                if job in done or job in running or job in unfinished:
                    continue
                dep = depends.get(job[0])
                if dep is not None and (dep, job[1]) not in done:
                    if (dep, job[1]) in unfinished:
                        unfinished.append(job)
                    continue
                log(f"start {experiment} {job[0]} seed {job[1]}")
                running[job] = executor.submit(experiment, job[0], job[1], checkpoint_root, max_seconds)
            if not running:
                break
            finished_handles = executor.wait(list(running.values()))
            for job, handle in list(running.items()):
                if handle not in finished_handles:
                    continue
                del running[job]
                out = executor.result(handle)
                values = out["values"]
                if values is None:
                    unfinished.append(job)
                    log(f"stopped {experiment} {job[0]} seed {job[1]} (checkpointed; run again to resume)")
                    continue
                argv = [experiment, "--settings", job[0], "--seeds", str(job[1])]
                path = save_result(record_name(experiment, *job), values, seed=job[1],
                                   command=common.command("sweep", argv), device=out["device"])
                done.add(job)
                log(f"wrote {path}")
    finally:
        executor.close()
    # a summary covers a whole group (every setting of it, the default seeds; by default one group, the whole
    # sweep) once all of it has finished, whichever command ran its last job; with summary_name, it covers just
    # the jobs asked for
    if summary_name is None:
        groups = getattr(module, "GROUPS", None)
        asked = {s for s, _ in jobs}
        summaries = [(f"{experiment}_{group}_sweep", members) for group, members in groups.items()
                     if asked & set(members)] if groups else [(f"{experiment}_sweep", list(module.SETTINGS))]
        summaries = [(name, [(s, k) for s in members for k in module.SEEDS]) for name, members in summaries]
    else:
        summaries = [(summary_name, jobs)]
    summary = None
    for name, summary_jobs in summaries:
        path = _write_summary(module, experiment, name, summary_jobs, with_claims=summary_name is None)
        if path is not None:
            summary = path
            log(f"wrote {path}")
    return {"finished": sorted(done), "unfinished": sorted(unfinished), "summary": summary}


def _write_summary(module, experiment: str, name: str, jobs: list, with_claims: bool):
    """Write the summary record ``name`` of ``jobs`` [(setting, seed)] if every one has a record; its path, or None."""
    values = {f"{s}/seed{k}": _read_values(record_name(experiment, s, k)) for s, k in jobs}
    if any(v is None for v in values.values()):
        return None
    settings = list(dict.fromkeys(s for s, _ in jobs))
    seeds = list(dict.fromkeys(k for _, k in jobs))
    summary_values = {"jobs": values, "settings": settings, "seeds": seeds}
    summarise = getattr(module, "summarise", None)
    if summarise is not None:
        summary_values["summary"] = summarise(values)
    claims = getattr(module, "claims", None)          # the papers' claims the summary measures
    reproduces = claims(summary_values) if claims is not None and with_claims else []
    command = common.command("sweep", [experiment, "--settings", *settings, "--seeds", *map(str, seeds)])
    return save_result(name, summary_values, seed=seeds, command=command, reproduces=reproduces)


def _chain(depends: dict, setting: str) -> list:
    out = []
    while setting in depends:
        setting = depends[setting]
        out.insert(0, setting)
    return out


def numeric_summary(values: dict) -> dict:
    """Per setting, per numeric value: its seeds' values, mean and standard deviation (``values`` keyed
    ``"<setting>/seed<k>"``, as the summary record holds them)."""
    import numpy as np

    grouped = {}
    for key, job_values in values.items():
        setting = key.rsplit("/seed", 1)[0]
        for name, value in (job_values or {}).items():
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                grouped.setdefault(setting, {}).setdefault(name, []).append(float(value))
    return {setting: {name: {"values": v, "mean": float(np.mean(v)), "std": float(np.std(v))}
                      for name, v in names.items()} for setting, names in grouped.items()}


def main(argv=None) -> dict:
    p = common.parser("sweep", __doc__)
    p.add_argument("experiment", choices=SWEEPABLE)
    p.add_argument("--settings", nargs="+", default=None, help="settings to run (default: all)")
    p.add_argument("--seeds", type=int, nargs="+", default=None, help="seeds (default: the experiment's)")
    p.add_argument("--workers", type=int, default=None, help="local processes (default: the cores; 1: in this one)")
    p.add_argument("--ray", action="store_true", help="run the jobs as Ray tasks on a local Ray (ray.init())")
    p.add_argument("--address", default=None, help="Ray cluster address for ray.init(address=...), e.g. auto")
    p.add_argument("--cpus-per-job", type=float, default=1.0)
    p.add_argument("--gpus-per-job", type=float, default=0.0)
    p.add_argument("--checkpoint-root", default=None, help="default results/checkpoints (shared on a cluster)")
    p.add_argument("--max-seconds", type=float, default=None,
                   help="stop each job after this long (checkpointed); run again to resume")
    common.add_name(p, None)
    args = p.parse_args(argv)
    backend = "ray" if args.ray or args.address else "local"
    out = run_sweep(args.experiment, args.settings, args.seeds, backend, args.workers, args.address,
                    args.checkpoint_root, args.max_seconds, args.name, args.cpus_per_job, args.gpus_per_job,
                    log=lambda message: print(message, flush=True))
    print(f"finished {len(out['finished'])} jobs, unfinished {len(out['unfinished'])}", flush=True)
    return out


if __name__ == "__main__":
    sys.exit(0 if main() is not None else 1)
