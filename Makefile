# ceasewatch: two commands do all set-up — `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: demo test lint types unit bench install clean services

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

## make demo: install, then build the worked example (Syria, September 2016) and print it
demo: $(STAMP)
	$(BIN)/ceasewatch demo

## make test: install, then lint, type-check and run every test (benchmarks as smoke runs)
test: $(STAMP) services
	$(BIN)/ruff check src tests benchmarks tools
	$(BIN)/ruff format --check src tests benchmarks tools
	$(BIN)/mypy
	$(BIN)/python -m pytest -n 2 -q

## services: under CI=true, the servers the tests use (PostgreSQL + PostGIS)
services:
ifeq ($(CI),true)
	sh tools/ci/postgres.sh
endif

bench: $(STAMP)
	$(BIN)/python benchmarks/evaluate.py

clean:
	rm -rf $(VENV) ceasewatch-demo .pytest_cache .mypy_cache .ruff_cache
