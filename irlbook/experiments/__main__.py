"""``python -m irlbook.experiments NAME [options]``, ``--list``, ``index`` or ``sweep EXPERIMENT [options]``
(see :mod:`irlbook.experiments`)."""

from __future__ import annotations

import argparse
import sys

from . import EXPERIMENTS, names, run


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = argparse.ArgumentParser(
        prog="python -m irlbook.experiments", description=__doc__,
        epilog="experiments: " + ", ".join(names()) + "; `index` rewrites results/index.json; "
               "`sweep EXPERIMENT` runs an experiment's (setting, seed) jobs locally or on Ray")
    parser.add_argument("--list", action="store_true", help="list the experiments and exit")
    parser.add_argument("name", nargs="?", help="experiment name, or `index`")
    if not argv or argv[0].startswith("-"):
        args = parser.parse_args(argv)
        if not args.list:
            parser.print_help()
            return 2
        width = max(map(len, names()))
        for name in names():
            print(f"{name:{width}s}  {EXPERIMENTS[name]}")
        return 0
    name, rest = argv[0], argv[1:]
    if name == "index":
        from ..book.records import write_index

        print(write_index())
        return 0
    if name == "sweep":
        from .sweep import main as sweep

        sweep(rest)
        return 0
    if name not in EXPERIMENTS:
        parser.error(f"unknown experiment {name!r}; choose from {', '.join(names())} (or `index`)")
    run(name, rest)
    return 0


if __name__ == "__main__":
    sys.exit(main())
