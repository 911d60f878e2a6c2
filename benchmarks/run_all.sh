#!/usr/bin/env bash
# `make bench`: every speed benchmark, one after the other, on one CPU core with one BLAS thread.
#   speed_floor.py   soft VI + visitation on sparse gridworlds up to 128 x 128, against the floor
#                    (floor.py: bytes and exps per step at this machine's measured bandwidth and exp rate)
#   bench_maxent.py  the same forward-backward pass against imitation 1.0.1, sparse and dense, growing sizes
#   bench_fit.py     a whole MaxEnt IRL fit on a 32 x 32 Objectworld against imitation's MCEIRL
# bench_maxent.py and bench_fit.py run in .bench-venv/ (setup_venv.sh; imitation pins gymnasium~=0.29, so
# it cannot share the book's .venv). Each writes results/benchmark_<name>.json (layout: benchlib.py) and
# its plots under results/figures/; results/index.json is rebuilt at the end.
# Extra arguments go to bench_maxent.py (--quick: the smaller sizes only).
# Timings on a shared machine are inflated by its load (recorded in each record): compare ratios, which
# come from runs timed alternately in one process.
set -euo pipefail
cd "$(dirname "$0")/.."
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 PYTHONWARNINGS=ignore
export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}"     # this checkout's irlbook, whatever is installed
PIN=""
command -v taskset >/dev/null && PIN="taskset -c 0"
NICE=""
nice -n -5 true 2>/dev/null && NICE="nice -n -5"
BOOK_PYTHON=${BOOK_PYTHON:-python}
echo "load: $(uptime)"

echo "== speed_floor ($BOOK_PYTHON)"
$NICE $PIN "$BOOK_PYTHON" benchmarks/speed_floor.py

echo "== bench_maxent (.bench-venv)"
bash benchmarks/setup_venv.sh
$NICE $PIN .bench-venv/bin/python benchmarks/bench_maxent.py "$@"

echo "== bench_fit (.bench-venv)"
$NICE $PIN .bench-venv/bin/python benchmarks/bench_fit.py

"$BOOK_PYTHON" -m irlbook.experiments index
echo "load: $(uptime)"
