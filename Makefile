# Pilar: two commands from a fresh clone.
#   make demo   install, migrate, load demo data, serve on http://127.0.0.1:8000/
#   make test   install, make sure Debian's chromium is there, run pytest
# PostgreSQL instead of SQLite: DATABASE_URL=postgres://postgres@127.0.0.1:5432/pilar make test

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# Rebuilt only when the dependencies or the lock change (or the venv is new).
STAMP := $(VENV)/.pilar-installed
DEMO_PASSWORD ?= pilar-demo-2026
DEMO_ADDR ?= 127.0.0.1:8000
PYTEST_ARGS ?=

.PHONY: help demo test install bench-deps chromium lint bandit format ci lock clean

help:
	@echo "make demo   install, migrate, seed demo data (password: DEMO_PASSWORD=$(DEMO_PASSWORD)), serve on http://$(DEMO_ADDR)/"
	@echo "make test   install, ensure Debian's chromium, run pytest (PostgreSQL: DATABASE_URL=postgres://... make test)"
	@echo "make lint   ruff check + ruff format --check"
	@echo "make bandit bandit over pilar/ (pyproject.toml [tool.bandit] says what is skipped and why)"
	@echo "make format ruff format + ruff check --fix"
	@echo "make ci     the whole CI run (.ci/run): fresh venv, lint, checks, tests on SQLite and PostgreSQL"
	@echo "make lock   regenerate constraints.txt from pyproject.toml in a clean temporary venv"
	@echo "make bench-deps  add the benchmarks' optional tools (locust, pinned in constraints.txt) to the venv"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/python -m pip install --disable-pip-version-check -q -c constraints.txt -e '.[dev]'
	@touch $@

install: $(STAMP)

# Optional: only bench/load.py needs it; CI and `make install` leave it out (extra [bench], pinned in the lock).
bench-deps: install
	$(BIN)/python -m pip install --disable-pip-version-check -q -c constraints.txt -e '.[dev,bench]'

demo: install
	@# DEBUG=1: no SECRET_KEY needed, and runserver serves the static files itself, so the
	@# demo needs no collectstatic (production runs `pilar collectstatic`, see docs/production.md).
	DEBUG=1 $(BIN)/pilar migrate --noinput
	DEBUG=1 $(BIN)/pilar seed-demo --password "$(DEMO_PASSWORD)"
	@echo
	@echo "Pilar berjalan di http://$(DEMO_ADDR)/  (Ctrl+C untuk berhenti)"
	@echo "Masuk dengan salah satu nama pengguna di atas, kata sandi: $(DEMO_PASSWORD)"
	@echo
	@# The task worker (imports, exports, mail) and its scheduler of periodic jobs run beside the server.
	@mkdir -p var
	DEBUG=1 $(BIN)/pilar worker --interval 1 > var/worker.log 2>&1 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	DEBUG=1 $(BIN)/pilar runserver $(DEMO_ADDR)

chromium:
	bash scripts/ensure-chromium.sh

test: install chromium
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# The seeded generators of demo and synthetic people may use `random`; everything else may not (B311).
GENERATORS := $(wildcard pilar/*/demo.py pilar/registry/synth*.py) pilar/demo
bandit: install
	$(BIN)/bandit -q -c pyproject.toml -r pilar -x "$$(echo $(GENERATORS) | tr ' ' ',')"
	$(BIN)/bandit -q -c pyproject.toml -r $(GENERATORS) -s B105,B106,B107,B311,B603,B608

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

ci:
	bash .ci/run

lock:
	bash scripts/lock.sh

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache test-results staticfiles
