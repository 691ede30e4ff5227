# bedeco: `make run` serves the platform, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
export BEDECO_VAR_DIR ?= $(CURDIR)/var

.PHONY: run test lint format bench install dev catalogs db clean help

help:
	@echo "make run    set up (venv, package, database, reference data, demo users) and serve on http://$(HOST):$(PORT)"
	@echo "make test   set up with the dev extras and run every test"
	@echo "make lint   ruff check, ruff format --check, mypy on the engines"
	@echo "make bench  run the benchmarks (ratios against a baseline measured in the same run)"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed catalogs
dev: $(VENV)/.installed-dev catalogs

catalogs: $(VENV)/.installed
	$(BIN)/python -m bedeco.i18n.compile

db: install
	$(BIN)/bedeco init --with-reference
	$(BIN)/bedeco users demo --out var/demo-credentials.txt

run: db
	$(BIN)/bedeco serve --host $(HOST) --port $(PORT)

test: dev
	$(BIN)/python -m pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

lint: dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: dev
	$(BIN)/python benchmarks/run.py $(BENCH_ARGS)  # BENCH_ARGS="--full" for the budgets the issues name

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
