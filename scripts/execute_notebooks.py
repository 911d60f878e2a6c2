"""Execute the book's notebooks into jupyter-book's execution cache, several at a time.

``make book`` runs this before ``jupyter-book build``: jupyter-book executes the notebooks of a
``cache``-mode build one after another, while this script runs them in ``--jobs`` processes (default:
the cores), the slowest first (``SLOW_FIRST``), and stores each executed notebook in the same jupyter-cache
(``_build/.jupyter_cache``) under the hash jupyter-book looks it up by. jupyter-book then finds every
notebook cached and only renders. A notebook that fails here is not cached; jupyter-book executes it
again itself and reports the error with its traceback, so nothing is hidden.

    python scripts/execute_notebooks.py [--cache _build/.jupyter_cache] [--jobs 2] [--timeout 600] NOTEBOOK...

Each notebook runs with its own folder as the working directory, as jupyter-book runs it
(``execute.execute_notebooks: cache`` in ``_config.yml``); the cache database is written by this
process only.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

#: Notebooks known to run longest in the quick profile, started first when the cache has no times yet.
SLOW_FIRST = ("07c_", "07b_", "03_", "06b_", "04b_", "05_", "07_")


def _execute(path: str, timeout: int):
    """Run one notebook in a worker process; returns (path, notebook or None, seconds, error text)."""
    import nbformat
    from jupyter_cache.executors.utils import single_nb_execution

    notebook = nbformat.read(path, as_version=4)
    result = single_nb_execution(notebook, cwd=str(Path(path).parent), timeout=timeout, allow_errors=False,
                                 meta_override=True)
    error = None if result.err is None else f"{type(result.err).__name__}: {result.err}"
    return path, (notebook if result.err is None else None), result.time, error


def _priority(path: Path) -> int:
    return next((i for i, prefix in enumerate(SLOW_FIRST) if path.name.startswith(prefix)), len(SLOW_FIRST))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--cache", type=Path, default=Path("_build/.jupyter_cache"))
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--timeout", type=int, default=600, help="seconds per cell (as _config.yml)")
    args = parser.parse_args(argv)

    import nbformat
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    cache = get_cache(str(args.cache))
    todo = []
    for path in args.notebooks:
        try:
            cache.match_cache_notebook(nbformat.read(path, as_version=4))
        except KeyError:
            todo.append(path.resolve())
    if not todo:
        print(f"execute_notebooks: all {len(args.notebooks)} notebooks are cached")
        return 0
    todo.sort(key=_priority)
    print(f"execute_notebooks: {len(todo)} of {len(args.notebooks)} notebooks to run, {args.jobs} at a time",
          flush=True)
    start, failed = time.perf_counter(), []
    with ProcessPoolExecutor(max(1, args.jobs)) as pool:
        futures = [pool.submit(_execute, str(path), args.timeout) for path in todo]
        for future in as_completed(futures):
            path, notebook, seconds, error = future.result()
            name = Path(path).name
            if notebook is None:
                failed.append(name)
                print(f"  {name}: failed after {seconds:.0f} s ({error.splitlines()[0]}); "
                      "jupyter-book will run it again and report the error", flush=True)
                continue
            cache.cache_notebook_bundle(CacheBundleIn(notebook, path, data={"execution_seconds": seconds}),
                                        check_validity=False, overwrite=True)
            print(f"  {name}: {seconds:.0f} s", flush=True)
    print(f"execute_notebooks: {len(todo) - len(failed)} cached in {time.perf_counter() - start:.0f} s"
          + (f", {len(failed)} failed" if failed else ""), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
