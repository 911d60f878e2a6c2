#!/usr/bin/env bash
# `make bench`: every speed benchmark, one after the other, on one CPU core with one BLAS thread.
#   speed_floor.py   soft value iteration + visitation on a 128 x 128 gridworld (the book's environment)
#   bench_maxent.py  irlbook's exact MaxEnt IRL against imitation 1.0.1 (chapter 4), in .bench-venv/
#                    (separate from the book's .venv: imitation pins gymnasium~=0.29)
# Each writes results/benchmark_*.json with provenance. Extra arguments go to bench_maxent.py (e.g. --quick).
# Timings on a shared machine are inflated by its load: compare ratios. The experiments of the chapters
# are not here: `python -m irlbook.experiments --list`.
set -euo pipefail
cd "$(dirname "$0")/.."
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 PYTHONWARNINGS=ignore
PIN=""
command -v taskset >/dev/null && PIN="taskset -c 0"
NICE=""
nice -n -5 true 2>/dev/null && NICE="nice -n -5"
BOOK_PYTHON=${BOOK_PYTHON:-python}

echo "== speed_floor ($BOOK_PYTHON)"
$NICE $PIN "$BOOK_PYTHON" benchmarks/speed_floor.py

echo "== bench_maxent (.bench-venv)"
bash benchmarks/setup_venv.sh
$NICE $PIN .bench-venv/bin/python benchmarks/bench_maxent.py "$@"
