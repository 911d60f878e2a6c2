#!/usr/bin/env bash
# `make bench`: speed of irlbook's exact MaxEnt IRL against imitation 1.0.1 (chapter 4).
# Creates .bench-venv/ (separate from the book's .venv: imitation pins gymnasium~=0.29),
# then times on one CPU core with one BLAS thread. Extra arguments go to bench_maxent.py
# (e.g. --quick). Timings on a shared machine are inflated by its load: compare ratios.
set -euo pipefail
cd "$(dirname "$0")/.."
bash benchmarks/setup_venv.sh
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 PYTHONWARNINGS=ignore
PIN=""
command -v taskset >/dev/null && PIN="taskset -c 0"
NICE=""
nice -n -5 true 2>/dev/null && NICE="nice -n -5"
$NICE $PIN .bench-venv/bin/python benchmarks/bench_maxent.py "$@"
