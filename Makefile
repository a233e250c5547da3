# staffvc: `make demo` and `make test` set themselves up from nothing (a .venv here).
# The venv is rebuilt whenever pyproject.toml or constraints.txt change.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.staffvc-installed
NODE_DIR := interop/node
NODE_STAMP := $(NODE_DIR)/node_modules/.staffvc-installed

.PHONY: demo test lint typecheck unit bench venv clean postgres

venv: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	@touch $@

# The reference implementations the interop tests and benchmarks run against (npm, pinned).
$(NODE_STAMP): $(NODE_DIR)/package.json $(NODE_DIR)/package-lock.json
	npm ci --prefix $(NODE_DIR) --no-audit --no-fund --loglevel=error
	@touch $@

# PostgreSQL server binaries for the status-registry tests (each test run starts its own
# throw-away server on 127.0.0.1); installs the Debian package only when they are missing.
postgres:
	@bash scripts/ensure-postgres.sh

demo: $(STAMP)
	$(BIN)/staffvc demo

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy --strict src

unit: $(STAMP) $(NODE_STAMP) postgres
	$(BIN)/python -m pytest

test: lint typecheck unit

bench: $(STAMP) $(NODE_STAMP) postgres
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) $(NODE_DIR)/node_modules build dist src/*.egg-info .pytest_cache .mypy_cache .ruff_cache .hypothesis
