# The README's two commands: `make report` and `make test`. Everything else is set-up they share.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
KERNEL := $(VENV)/share/jupyter/kernels/wres-analysis/kernel.json
PARAMS ?= params/national.yaml

.PHONY: help setup report test lab lint clean demo-data browser-deps

help:  ## List the targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | sed 's/:.*##/\t/'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Re-install only when the declared dependencies change.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

$(KERNEL): $(STAMP)
	$(BIN)/python -m ipykernel install --sys-prefix --name wres-analysis \
		--display-name "Python (wres-analysis)" >/dev/null

setup: $(STAMP) $(KERNEL)  ## Create .venv, install the package and its Jupyter kernel

report: setup  ## Build the national report on the synthetic demo data into outputs/
	$(BIN)/wres build $(PARAMS)

test: setup  ## Run the test suite
	$(BIN)/python -m pytest -n 2 -q

# The accessibility tests' browser: Debian's chromium (installed only if no Chromium is on PATH;
# needs root) and axe-core from npm (package-lock.json), reinstalled only when the lock changes.
AXE := node_modules/axe-core/axe.min.js

$(AXE): package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $(AXE)

browser-deps: $(AXE)  ## Install Chromium and axe-core for the browser accessibility tests
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || \
		{ apt-get update && apt-get install -y chromium chromium-driver; }

lint: setup  ## ruff, and notebooks committed without outputs
	$(BIN)/ruff check wres_analysis tests benchmarks
	$(BIN)/nbstripout --verify notebooks/*.ipynb notebooks/organisation/*.ipynb

lab: setup  ## Open JupyterLab on the chapter notebooks
	$(BIN)/jupyter lab notebooks/

demo-data: setup  ## Write the synthetic demo dataset to outputs/demo-data
	$(BIN)/wres demo-data outputs/demo-data

clean:  ## Remove the virtual environment and generated outputs
	rm -rf $(VENV) outputs
