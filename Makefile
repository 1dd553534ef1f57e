# Hearth: `make run` serves the demo on http://127.0.0.1:8000, `make test` runs the suite.
# Both create .venv and install the pinned requirements first; only Python 3.11+ is needed.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := DEBUG=1 $(BIN)/python manage.py
PYTEST_ARGS ?=

.PHONY: venv dev run test lint format bench clean

venv: $(VENV)/.runtime-installed

dev: $(VENV)/.dev-installed

$(VENV)/bin/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Hearth needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime-installed: requirements.txt | $(VENV)/bin/python
	$(BIN)/pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(VENV)/bin/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	@touch $@ $(VENV)/.runtime-installed

run: venv
	@mkdir -p var
	$(MANAGE) migrate --no-input
	$(MANAGE) seed_demo
	@echo "Hearth is at http://127.0.0.1:8000 (Ctrl-C stops it)"
	$(MANAGE) runserver 127.0.0.1:8000

test: dev
	@mkdir -p var
	$(BIN)/pytest -n auto --dist loadfile $(PYTEST_ARGS)

lint: dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(MANAGE) makemigrations --check --dry-run

format: dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) var/test-media .pytest_cache

bench: dev
	DEBUG=1 $(BIN)/python bench/reports.py
