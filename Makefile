# The commands the README names. Everything runs inside .venv, created on first use.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
FLASK := $(BIN)/flask --app studygroup
PORT ?= 5000
# Links printed by every command (demo, reset-password) point at the port the app serves on.
export STUDYGROUP_BASE_URL ?= http://127.0.0.1:$(PORT)

.PHONY: run serve test lint pytest bench db clean flask

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

db: $(STAMP)
	$(FLASK) db upgrade

# With demo data, every start says how to log in.
run: db
	$(FLASK) demo --if-empty
	$(FLASK) run --host 127.0.0.1 --port $(PORT)

# Any command with this installation's settings: PORT=8000 make flask ARGS="reset-password EMAIL"
flask: $(STAMP)
	$(FLASK) $(ARGS)

# Production-style: gunicorn with several workers (gunicorn.conf.py), same configuration.
serve: db
	STUDYGROUP_BIND=$${STUDYGROUP_BIND:-127.0.0.1:$(PORT)} $(BIN)/gunicorn --config gunicorn.conf.py

lint: $(STAMP)
	$(BIN)/ruff check studygroup tests bench gunicorn.conf.py
	$(BIN)/ruff format --check studygroup tests bench gunicorn.conf.py
	$(BIN)/mypy

pytest: $(STAMP)
	$(BIN)/pytest

test: lint pytest

bench: $(STAMP)
	@for script in bench/bench_*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
