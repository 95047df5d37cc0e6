# Elevstöd. Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
HOST   ?= 127.0.0.1
PORT   ?= 8000
PYTEST_ARGS ?=

.PHONY: install demo serve test test-browser lint format typecheck messages bench bench-load clean

$(STAMP): pyproject.toml
	@bash scripts/ensure-xmlsec1.sh
	@bash scripts/ensure-pdf-tools.sh
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

## The app under production settings (gunicorn, WhiteNoise, the workers) on http://$(HOST):$(PORT)
## against DATABASE_URL; needs ELEVSTOD_SECRET_KEY and ELEVSTOD_AUDIT_KEY (docs/deployment.md).
serve: install
	PY=$(BIN)/python HOST=$(HOST) PORT=$(PORT) bash scripts/serve.sh

## The whole test suite (SQLite unless DATABASE_URL is set; browser tests need Debian's chromium).
test: install
	@bash scripts/ensure-pdf-tools.sh
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

## Latency, SQL queries and memory of the main pages and of the PDF documents, the reminder
## scan over 1,000,000 dated items (PostgreSQL only), and the load benchmark under gunicorn;
## figures go to docs/benchmarks.md.
bench: install
	$(BIN)/python bench/pages.py
	$(BIN)/python bench/documents.py
	$(BIN)/python bench/overviews.py
	$(BIN)/python bench/ss12000.py
	$(BIN)/python bench/reminders.py
	$(BIN)/python bench/serve_load.py

## The load benchmark alone: wrk against `make serve` (gunicorn, production settings) on a
## fresh database with the demo (BENCH_PUPILS, BENCH_SECONDS, BENCH_CLIENTS; bench/serve_load.py).
bench-load: install
	$(BIN)/python bench/serve_load.py
