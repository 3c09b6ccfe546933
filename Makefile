# Two commands for a fresh machine with Python 3.11 and pip:
#   make run   - set up, migrate, load the real data, serve on http://127.0.0.1:8000
#   make test  - the whole test suite (SQLite; DATABASE_URL=postgres://... for PostgreSQL)
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000

.PHONY: run test setup data lint bench clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

setup: $(BIN)/.installed

data: setup
	$(BIN)/clusterportal migrate --noinput
	$(BIN)/clusterportal load_data

run: data
	$(BIN)/clusterportal runserver $(HOST)

test: setup
	$(BIN)/ruff check .
	$(BIN)/mypy --strict clusterportal/lib clusterportal/analytics
	$(BIN)/clusterportal makemigrations --check --dry-run
	$(BIN)/pytest -n 2 --dist loadfile

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: setup
	$(BIN)/pip install --quiet -e '.[test,bench]'
	@echo "see bench/README.md for the individual benchmarks"

clean:
	rm -rf $(VENV) var
