# irlbook: two commands on a fresh machine (Python 3.11, make, npm, the package registries).
#   make book   create .venv, install pinned dependencies, execute every notebook, build the HTML (-W)
#   make test   build the book, then run the unit tests, the browser check and nbval over every notebook
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
VENDOR := _vendor
PROFILE ?= quick
export IRLBOOK_PROFILE ?= $(PROFILE)
export MUJOCO_GL ?= egl
export PYDEVD_DISABLE_FILE_VALIDATION := 1

.PHONY: book test unit notebooks browser bench clean install assets

install: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e ".[all]"
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 > /dev/null
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	touch $@

# Browser assets the built book serves itself (no CDN): MathJax 3, require.js, the widgets' HTML manager.
$(VENDOR)/.copied: node_modules/.installed
	rm -rf $(VENDOR) && mkdir -p $(VENDOR)/vendor
	cp -r node_modules/mathjax/es5 $(VENDOR)/vendor/mathjax
	cp node_modules/requirejs/require.js $(VENDOR)/vendor/require.js
	mkdir -p $(VENDOR)/vendor/@jupyter-widgets/html-manager
	cp -r node_modules/@jupyter-widgets/html-manager/dist $(VENDOR)/vendor/@jupyter-widgets/html-manager/dist
	# The manager's icon fonts are requested relative to the page: give notebook pages their copy.
	mkdir -p $(VENDOR)/notebooks/@jupyter-widgets/html-manager/dist
	cp node_modules/@jupyter-widgets/html-manager/dist/*.{woff,woff2,ttf,eot,svg} $(VENDOR)/notebooks/@jupyter-widgets/html-manager/dist/
	touch $@

assets: $(VENDOR)/.copied

book: $(STAMP) $(VENDOR)/.copied
	$(BIN)/jupyter-book build . -W -n --keep-going

unit: $(STAMP)
	$(BIN)/python -m pytest tests -q -m "not browser"

notebooks: $(STAMP)
	$(BIN)/python -m pytest --nbval-lax notebooks -q -p no:randomly

browser: $(STAMP)
	$(BIN)/python -m pytest tests -q -m browser

test: book
	$(BIN)/python -m pytest tests -q
	$(BIN)/python -m pytest --nbval-lax notebooks -q

bench: $(STAMP)
	@test -f benchmarks/run_all.sh || { echo "benchmarks/run_all.sh is missing"; exit 1; }
	bash benchmarks/run_all.sh

clean:
	rm -rf _build $(VENDOR) .pytest_cache
