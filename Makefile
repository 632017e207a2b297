# The README's two commands: `make report` and `make test`. Everything else is set-up they share.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
KERNEL := $(VENV)/share/jupyter/kernels/wres-analysis/kernel.json
PARAMS ?= params/national.yaml

.PHONY: help setup report test test-slow lab lint clean demo-data browser-deps lock screenshots

help:  ## List the targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | sed 's/:.*##/\t/'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Re-install only when the declared dependencies or the lock change. The lock pins every
# runtime and test dependency to an exact version with its hashes (pip refuses anything else);
# the package itself is then installed on top without touching them.
LOCK := requirements.lock

$(STAMP): pyproject.toml $(LOCK) | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

# Refresh the lock after changing dependencies in pyproject.toml: uv resolves one set of
# versions for every Python from 3.11 and every platform (markers where they differ).
lock: | $(BIN)/python  ## Re-resolve requirements.lock from pyproject.toml (needs the package index)
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/python -m uv pip compile pyproject.toml --extra test --universal \
		--python-version 3.11 --generate-hashes --custom-compile-command "make lock" -o $(LOCK)

$(KERNEL): $(STAMP)
	$(BIN)/python -m ipykernel install --sys-prefix --name wres-analysis \
		--display-name "Python (wres-analysis)" >/dev/null

setup: $(STAMP) $(KERNEL)  ## Create .venv, install the package and its Jupyter kernel

report: setup  ## Build the national report on the synthetic demo data into outputs/
	$(BIN)/wres build $(PARAMS)

test: setup  ## Run the test suite (all but the end-to-end builds marked slow)
	$(BIN)/python -m pytest -n 2 -q -m "not slow"

test-slow: setup  ## Run the end-to-end builds marked slow (CI runs them after make test)
	$(BIN)/python -m pytest -n 2 -q -m slow

# The accessibility tests' browser: Debian's chromium (installed only if no Chromium is on PATH;
# needs root) and axe-core from npm (package-lock.json), reinstalled only when the lock changes.
AXE := node_modules/axe-core/axe.min.js

$(AXE): package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $(AXE)

browser-deps: $(AXE)  ## Install Chromium and axe-core for the browser accessibility tests
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || \
		{ apt-get update && apt-get install -y chromium chromium-driver; }

# The visual check: a PNG of every page of a built report (the latest national one unless
# REPORT_DIR names another, e.g. outputs/organisations/2024), for a person to look through.
REPORT_DIR ?= $(lastword $(sort $(wildcard outputs/national/*)))
SHOTS ?= outputs/screenshots

screenshots: setup  ## Screenshot every page of the built report into outputs/screenshots (needs Chromium)
	@test -n "$(REPORT_DIR)" || { echo "no report in outputs/national: run make report first"; exit 2; }
	$(BIN)/python -m tests.visual.screenshots $(REPORT_DIR) $(SHOTS)

lint: setup  ## ruff, and notebooks committed without outputs
	$(BIN)/ruff check wres_analysis tests benchmarks
	$(BIN)/nbstripout --verify notebooks/*.ipynb notebooks/organisation/*.ipynb

lab: setup  ## Open JupyterLab on the chapter notebooks
	$(BIN)/jupyter lab notebooks/

demo-data: setup  ## Write the synthetic demo dataset to outputs/demo-data
	$(BIN)/wres demo-data outputs/demo-data

clean:  ## Remove the virtual environment and generated outputs
	rm -rf $(VENV) outputs
