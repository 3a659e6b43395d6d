# VPC Lab — two commands from a fresh clone: `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
# Serving needs the package alone; the dev tools (pytest, ruff, mypy, playwright, …) come with
# test, lint and bench. One stamp each, so `make run` never pulls the dev tools.
RUN_STAMP := $(VENV)/.run-stamp
DEV_STAMP := $(VENV)/.dev-stamp
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: run migrate test lint bench clean i18n i18n-engine

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(RUN_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

# The dev extras include everything serving needs, so they satisfy the run stamp too.
$(DEV_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@ $(RUN_STAMP)

migrate: $(RUN_STAMP)
	$(BIN)/alembic upgrade head

# Serves the pages at / and the API at /api/v1 (SQLite ./vpclab.db unless VPCLAB_DATABASE_URL).
# Another address: `make run PORT=8080` (and HOST=0.0.0.0 to listen beyond this machine).
run: migrate
	VPCLAB_AUTO_MIGRATE=false $(BIN)/uvicorn app.main:app --host $(HOST) --port $(PORT)

# The whole suite; on PostgreSQL too when VPCLAB_TEST_DATABASE_URL is set.
test: $(DEV_STAMP)
	$(BIN)/python -m pytest

# Speed and memory goals (issue 5): prints a table and writes bench/results.json.
bench: $(DEV_STAMP)
	$(BIN)/python -m bench.run

# The pages' words (issue 11): extract them from app/web and templates, then bring the Japanese
# catalog up to date; translate every new or changed msgid in app/locale/ja/LC_MESSAGES/messages.po
# (tests/web/test_i18n.py fails on an empty or fuzzy one). No compile step: app/i18n reads the .po.
# The templates (.pot, every msgstr empty by design) and Babel's settings are in i18n/: the lab
# serves only what is in app/locale.
i18n: $(DEV_STAMP)
	$(BIN)/pybabel extract --mapping-file i18n/babel.cfg --keywords N_ --no-location --sort-output \
		--project "VPC Lab" --copyright-holder "VPC Lab" --msgid-bugs-address "" --no-wrap \
		--output-file i18n/messages.pot .
	@if [ -f app/locale/ja/LC_MESSAGES/messages.po ]; then \
		$(BIN)/pybabel update --input-file i18n/messages.pot --output-dir app/locale \
			--domain messages --locale ja --no-fuzzy-matching --ignore-obsolete --no-wrap; \
	else \
		$(BIN)/pybabel init --input-file i18n/messages.pot --output-dir app/locale \
			--domain messages --locale ja --no-wrap; \
	fi

lint: $(DEV_STAMP)
	$(BIN)/ruff check app tests bench
	$(BIN)/ruff format --check app tests bench
	$(BIN)/mypy

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis

# The engine's message catalog (issue 11): every text(id, English) in app/engine, and the refusals
# the store, the access layer and the throttles declare the same way, with the id as context;
# then the Japanese catalog is updated from it (new ids arrive untranslated).
i18n-engine: $(DEV_STAMP)
	$(BIN)/pybabel extract -F i18n/babel-engine.cfg --no-default-keywords -k text:1c,2 \
	  --ignore-dirs='.* _*' --no-location --sort-by-file --omit-header --no-wrap \
	  -o i18n/engine.pot app/engine app/db app/accounts app/api/deps.py app/jobs.py \
	  app/throttle.py app/whole_network.py
	$(BIN)/pybabel update -D engine -i i18n/engine.pot -d app/locale -l ja \
	  --no-fuzzy-matching --ignore-obsolete --no-wrap
