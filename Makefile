# irlbook: two commands on a fresh machine with Python 3.11, make, npm and the package registries.
#   make book   create .venv, install pinned dependencies, execute every notebook, build the HTML (-W)
#   make test   build the book, then pytest tests/ and nbval over every notebook (the full gate; CI runs it)
#   make check  the fast loop: ruff, then the unit tests without notebooks, browser, slow or GPU marks
# IRLBOOK_PROFILE=quick (default) runs CPU-sized experiments; IRLBOOK_PROFILE=full the papers' sizes.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := book

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
VENDOR := _vendor
VENDOR_STAMP := $(VENDOR)/.installed
HTML := _build/html
JUPYTER_CACHE := _build/.jupyter_cache

export IRLBOOK_PROFILE ?= quick
export MUJOCO_GL ?= egl
export PYTHONHASHSEED ?= 0

NOTEBOOKS := $(wildcard notebooks/*.ipynb)
# Python that ruff lints (configured in pyproject.toml); notebooks are checked by executing them.
LINT := irlbook tests $(wildcard benchmarks scripts assignments/*.py)
# What `make check` leaves to `make test`: tests marked slow (fresh venvs, wheels, otter, whole
# notebooks), browser (the built book in Chromium) and gpu.
CHECK_MARKS := not slow and not browser and not gpu

.PHONY: book test check bench vendor venv clean help

help:
	@echo "make book   build the HTML book in $(HTML) (creates $(VENV), executes every notebook)"
	@echo "make test   make book, then pytest tests/ and pytest --nbval-lax notebooks/ (the full gate, as CI)"
	@echo "make check  fast loop, under 2 minutes: ruff check, then pytest tests -m \"$(CHECK_MARKS)\""
	@echo "make bench  every speed benchmark (benchmarks/run_all.sh: speed_floor.py, bench_maxent.py, bench_fit.py)"
	@echo "make clean  remove $(VENV), $(VENDOR), node_modules, _build, dist"

venv: $(STAMP)

# The environment is rebuilt only when the pins or the package metadata change.
$(STAMP): constraints.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[all]"
	touch $@

vendor: $(VENDOR_STAMP)

# MathJax 3, RequireJS and the ipywidgets HTML manager from npm, copied where
# _config.yml's html_extra_path serves them (<build>/_static/...).
$(VENDOR_STAMP): package.json package-lock.json _ext/static/widgets-setup.js
	npm ci --ignore-scripts --no-audit --no-fund
	rm -rf $(VENDOR)
	mkdir -p $(VENDOR)/_static/widgets
	cp -r node_modules/mathjax/es5 $(VENDOR)/_static/mathjax
	cp node_modules/requirejs/require.js $(VENDOR)/_static/widgets/require.js
	cp _ext/static/widgets-setup.js $(VENDOR)/_static/widgets/
	cp node_modules/@jupyter-widgets/html-manager/dist/embed-amd.js $(VENDOR)/_static/widgets/
	mkdir -p $(VENDOR)/_static/widgets/@jupyter-widgets/html-manager/dist
	cp node_modules/@jupyter-widgets/html-manager/dist/*.{woff,woff2,ttf,eot,svg} $(VENDOR)/_static/widgets/@jupyter-widgets/html-manager/dist/
	touch $@

# The execution cache is keyed on the library, the pins and the profile; a change wipes it.
# scripts/execute_notebooks.py fills it with the notebooks that changed, one per core, before
# jupyter-book (which would run them one after another) renders; a notebook that fails there is
# executed again by jupyter-book, which reports the error.
# IRLBOOK_STATIC_FIGURES=1: interactive figures precompute their frames for the static page
# (irlbook.book.interactive); in Jupyter and Colab they stay live widgets.
book: export IRLBOOK_STATIC_FIGURES = 1
book: $(STAMP) $(VENDOR_STAMP)
	@key=$$(cat $$(find irlbook _ext -name '*.py' | LC_ALL=C sort) constraints.txt | sha256sum | cut -c1-16)-$(IRLBOOK_PROFILE); \
	if [ "$$(cat $(JUPYTER_CACHE)/.key 2>/dev/null)" != "$$key" ]; then \
		echo "execution cache: new key $$key, re-executing every notebook"; rm -rf $(JUPYTER_CACHE) _build/.doctrees _build/jupyter_execute; \
		mkdir -p $(JUPYTER_CACHE); echo "$$key" > $(JUPYTER_CACHE)/.key.new; fi
	$(if $(TOC),,$(BIN)/python scripts/execute_notebooks.py --cache $(JUPYTER_CACHE) --timeout 600 $(NOTEBOOKS))
	$(BIN)/jupyter-book build . -W -n --keep-going $(if $(TOC),--toc $(TOC))
	@if [ -f $(JUPYTER_CACHE)/.key.new ]; then mv $(JUPYTER_CACHE)/.key.new $(JUPYTER_CACHE)/.key; fi
	@echo "built $$(find $(HTML) -name '*.html' -not -path '*/_static/*' | wc -l) HTML pages in $(HTML)"

# pytest runs on two workers (pytest-xdist, one per core; the slowest tests are listed at the end);
# nbval runs two notebooks at a time (--dist loadfile keeps each notebook's cells in order in one kernel).
test: book
	$(BIN)/python -m pytest tests -ra -n 2 --durations=15
ifneq ($(strip $(NOTEBOOKS)),)
	$(BIN)/python -m pytest --nbval-lax notebooks -ra -n 2 --dist loadfile
else
	@echo "no notebooks/*.ipynb yet: nothing for nbval to run"
endif

# The fast loop: no book build, no notebooks, no browser; needs only the environment.
check: $(STAMP)
	$(BIN)/ruff check $(LINT)
	$(BIN)/python -m pytest tests -m "$(CHECK_MARKS)" -q -ra

# Every speed benchmark, records and plots regenerated (benchmarks/README.md); BENCH_ARGS=--quick: small sizes.
bench: $(STAMP)
	@if [ ! -f benchmarks/run_all.sh ]; then \
		echo "benchmarks/run_all.sh is missing: no benchmarks to run yet" >&2; exit 1; fi
	PATH="$(CURDIR)/$(BIN):$$PATH" bash benchmarks/run_all.sh $(BENCH_ARGS)

clean:
	rm -rf $(VENV) $(VENDOR) node_modules _build dist build *.egg-info .pytest_cache .hypothesis .ruff_cache
