# Elevstöd. Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
HOST   ?= 127.0.0.1
PORT   ?= 8000
PYTEST_ARGS ?=

.PHONY: install demo serve test test-browser lint format typecheck messages bench clean

$(STAMP): pyproject.toml
	@bash scripts/ensure-xmlsec1.sh
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@rm -f $(VENV)/.installed-*
	@touch $@

install: $(STAMP)

## The app with demo data on http://$(HOST):$(PORT) (SQLite in var/ unless DATABASE_URL is set),
## with the background workers (scripts/demo.sh; Ctrl-C stops the server and the workers).
demo: install
	$(BIN)/python manage.py migrate --noinput -v0
	$(BIN)/python manage.py seed_demo --if-empty
	PY=$(BIN)/python HOST=$(HOST) PORT=$(PORT) bash scripts/demo.sh

## The whole test suite (SQLite unless DATABASE_URL is set; browser tests need Debian's chromium).
test: install
	$(BIN)/pytest $(PYTEST_ARGS)

test-browser: install
	$(BIN)/pytest -m browser $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy src

typecheck: install
	$(BIN)/mypy src

format: install
	$(BIN)/ruff format src tests
	$(BIN)/ruff check --fix src tests

## Regenerate the translation catalogues after changing user-facing text, then translate
## the new entries in src/elevstod/locale/sv/LC_MESSAGES/django.po.
messages: install
	$(BIN)/python manage.py makemessages -l sv -l en --ignore '.venv/*' --ignore 'tests/*'
	$(BIN)/python manage.py compilemessages --ignore '.venv/*'

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache staticfiles test-artifacts

## Latency, SQL queries and memory of the main pages; figures go to docs/benchmarks.md.
bench: install
	$(BIN)/python bench/pages.py
	$(BIN)/python bench/ss12000.py
