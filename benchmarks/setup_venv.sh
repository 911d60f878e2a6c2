#!/usr/bin/env bash
# Create .bench-venv/: a separate environment for the speed benchmark.
# imitation 1.0.1 pins gymnasium~=0.29 and stable-baselines3~=2.2, so it cannot share
# the book's environment (gymnasium 1.x). irlbook is installed from this repository
# without dependencies; nothing of imitation is vendored.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .bench-venv/bin/python ]; then
  "$PY" -m venv .bench-venv
fi
.bench-venv/bin/pip install --quiet --progress-bar off "torch==2.13.0" "imitation==1.0.1" "scipy" "matplotlib" 2> >(grep -v "is ignored: it is neither" >&2)
.bench-venv/bin/pip install --quiet --no-deps -e . 2> >(grep -v "is ignored: it is neither" >&2)
