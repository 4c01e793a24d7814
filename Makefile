# Stock-SaaS — `make run` starts everything on embedded defaults; `make test` runs the suite.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV  := .venv
PY    := $(VENV)/bin/python
TOOLS := .tools
export PATH := $(CURDIR)/$(TOOLS)/node_modules/.bin:$(CURDIR)/$(VENV)/bin:$(PATH)
export REFLEX_USE_SYSTEM_BUN := 1
export REFLEX_TELEMETRY_ENABLED := false
export REFLEX_CHECK_LATEST_VERSION := false
export PYTHONUNBUFFERED := 1

.PHONY: help install tools browser migrate run test test-fast lint format

help: ## this list
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | awk -F'\t' '{printf "make %-10s %s\n", $$1, $$2}'

install: $(VENV)/.installed ## the virtualenv in .venv with every pinned package

$(VENV)/.installed: requirements.txt requirements-dev.txt pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check --upgrade pip
	$(PY) -m pip install -q --disable-pip-version-check -r requirements-dev.txt
	$(PY) -m pip install -q --disable-pip-version-check --no-deps -e .
	touch $@

# bun and a Node >= 22 from the npm registry, project-local (Reflex builds the frontend with them).
tools: $(TOOLS)/.installed ## bun and Node 22 from the npm registry into .tools

$(TOOLS)/.installed:
	mkdir -p $(TOOLS)
	npm install --silent --no-audit --no-fund --prefix $(TOOLS) bun@1.4.5 node@22
	$(TOOLS)/node_modules/.bin/bun --version >/dev/null
	touch $@

# Debian's Chromium for the browser tests (never a downloaded browser), and poppler-utils +
# zbar-tools, with which the label tests render PDFs and decode their barcodes.
browser: ## Debian's chromium, poppler-utils and zbar-tools for the tests (apt, when missing)
	@command -v chromium >/dev/null && command -v pdftoppm >/dev/null && command -v zbarimg >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium poppler-utils zbar-tools >/dev/null; }

migrate: install ## migrate the database and create the first admin
	$(PY) inventory.py migrate

# The dashboard and the REST API (/api) on http://localhost:3000; Ctrl-C stops everything.
run: install tools migrate ## install, migrate, start the app + Celery worker and beat on :3000
	$(PY) scripts/run_all.py --skip-migrate

lint: install ## ruff, ruff format --check, mypy and the import-linter layer contracts
	$(VENV)/bin/ruff check stock_saas tests bench scripts inventory.py rxconfig.py alembic/env.py
	$(VENV)/bin/ruff format --check stock_saas tests bench scripts inventory.py alembic/env.py
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports --no-cache

format: install ## ruff --fix and ruff format
	$(VENV)/bin/ruff check --fix stock_saas tests bench scripts inventory.py alembic/env.py
	$(VENV)/bin/ruff format stock_saas tests bench scripts inventory.py alembic/env.py

# Two xdist workers, a test file at a time (--dist loadfile), so a module's own stack (run-prod,
# the two-worker events cluster) starts once. Not loadgroup: with pytest 9, xdist 3.8's
# xdist_group no longer reaches the scheduler (it rewrites item._nodeid, which pytest 9 no
# longer reads), and grouped tests were spread over both workers. Each worker that runs
# browser tests starts its own app on a random port.
test: install tools browser lint ## install, lint, run the whole suite (SQLite and PostgreSQL)
	$(VENV)/bin/pytest -p no:cacheprovider -n 2 --dist loadfile

test-fast: install ## the suite without browser and slow tests, stop at the first failure
	$(VENV)/bin/pytest -p no:cacheprovider -m "not e2e and not slow" -x

# What docker-compose runs, without Docker: local PostgreSQL (database stock_saas_prod) and
# Redis (db 5-7), prestart migration, the frontend exported once, 2 backend workers
# (WEB_CONCURRENCY), 1 Celery worker, 1 beat, on http://localhost:$${STOCK_SAAS_PORT:-3000}.
.PHONY: run-prod
run-prod: install tools ## the production shape on local PostgreSQL + Redis (see README)
	$(PY) scripts/run_prod.py all
