# VPC Lab — two commands from a fresh clone: `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: run migrate test lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

migrate: $(STAMP)
	$(BIN)/alembic upgrade head

# Serves the pages at / and the API at /api/v1 (SQLite ./vpclab.db unless VPCLAB_DATABASE_URL).
run: migrate
	VPCLAB_AUTO_MIGRATE=false $(BIN)/uvicorn app.main:app --host $(HOST) --port $(PORT)

# The whole suite; on PostgreSQL too when VPCLAB_TEST_DATABASE_URL is set.
test: $(STAMP)
	$(BIN)/python -m pytest

# Speed and memory goals (issue 5): prints a table and writes bench/results.json.
bench: $(STAMP)
	$(BIN)/python -m bench.run

lint: $(STAMP)
	$(BIN)/ruff check app tests bench
	$(BIN)/ruff format --check app tests bench
	$(BIN)/mypy

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
