# Initiatiefloket: every set-up step is a target, so a fresh machine needs only `make run`
# (the seeded demo on SQLite) or `make test` (the whole suite).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# Two workers (pytest-xdist): the suite takes half the time on a 2-core machine;
# PYTEST_ARGS= runs it in one process.
PYTEST_ARGS ?= -n 2

.DEFAULT_GOAL := help
.PHONY: help install run test lint check bench format clean

help: ## Show the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-8s %s\n", $$1, $$2}'

$(BIN)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip > $(VENV)/pip.log 2>&1 || (cat $(VENV)/pip.log; exit 1)
	$(BIN)/python -m pip install --quiet -e ".[test,load]" >> $(VENV)/pip.log 2>&1 || (cat $(VENV)/pip.log; exit 1)
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(BIN)/.installed node_modules/.installed ## Create the virtualenv and install Python and front-end packages

run: install ## Set up everything and serve the seeded demo on http://127.0.0.1:8000 (SQLite, with a task worker)
	$(BIN)/python manage.py migrate --no-input -v0
	$(BIN)/python manage.py seed_demo
	HOST=$(HOST) PORT=$(PORT) scripts/run_demo.sh

test: install ## Run the whole test suite (SQLite; set DATABASE_URL for PostgreSQL)
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install ## ruff (lint and format check) and import-linter
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

check: install ## Django system checks, missing migrations and import contracts
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/lint-imports

bench: install ## Run the benchmarks and write docs/performance.md
	$(BIN)/python -m bench

format: install ## Format the code with ruff
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean: ## Remove the virtualenv, node_modules and local data
	rm -rf $(VENV) node_modules var db.sqlite3
