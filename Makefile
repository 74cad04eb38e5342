# Two entry points, each doing all the set-up it needs on a fresh machine:
#   make report   – create .venv, install the toolkit, run the main job on the bundled corpus
#   make test     – create .venv, install the toolkit and its test tools, run lint, type check and tests
#   make test-fast – the same without the slow end-to-end tests
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# pytest runs the tests in one process per core, at most 4 (pytest-xdist; PYTEST_WORKERS=0: all in
# one process), handed out one or two at a time, the slow ones first (tests/conftest.py); the
# tests of a module marked xdist_group go to one process together, so that the module's
# fixtures are built once; the 20 slowest tests are listed at the end
PYTEST_WORKERS ?= auto
PYTEST := $(BIN)/python -m pytest -n $(PYTEST_WORKERS) --maxprocesses=4 --dist loadgroup \
	--no-loadscope-reorder --durations=20

.PHONY: report test test-fast setup setup-dev lint bench clean

# pip -qq: errors only; the setuptools notice every editable install prints is not shown
$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -qq --upgrade pip

setup: $(BIN)/python
	$(BIN)/python -m pip install -qq -e .

setup-dev: $(BIN)/python
	$(BIN)/python -m pip install -qq -e ".[dev]"

report: setup
	$(BIN)/python -m toolkit report --out report

lint: setup-dev
	$(BIN)/ruff check toolkit tests benchmarks notebooks
	$(BIN)/ruff format --check toolkit tests benchmarks
	$(BIN)/mypy

# the browser tests run after the others, in one process: JupyterLab and Chromium starting
# beside the report runs on two cores left notebook 3's "run all cells" unstarted
BROWSER_TESTS := tests/test_browser.py

test: lint
	@$(PYTEST) --ignore=$(BROWSER_TESTS); status=$$?; \
	if [ $$status -eq 5 ]; then echo "pytest collected no tests: failing" >&2; exit 1; fi; \
	$(BIN)/python -m pytest -n 0 $(BROWSER_TESTS); browser=$$?; \
	if [ $$browser -eq 5 ]; then echo "pytest collected no browser tests: failing" >&2; exit 1; fi; \
	if [ $$status -ne 0 ]; then exit $$status; fi; \
	exit $$browser

# the same checks without the slow end-to-end tests (notebooks, browser)
test-fast: lint
	@$(PYTEST) -m "not slow"; status=$$?; \
	if [ $$status -eq 5 ]; then echo "pytest collected no tests: failing" >&2; exit 1; fi; \
	exit $$status

bench: setup
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) report .pytest_cache
