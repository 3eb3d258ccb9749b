# The two commands: `make run` (app on SQLite) and `make test` (suite on SQLite and PostgreSQL).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV := $(BIN)/uv
HOST ?= 127.0.0.1
PORT ?= 8000
# The base of the links in e-mails (invitations, consultations): the address `make run` serves.
SITE_URL ?= http://$(HOST):$(PORT)
PG_URL ?= postgres://postgres@127.0.0.1:5432/postgres
PG_TEST_DB ?= samverkan_test

.PHONY: run test install install-dev test-sqlite test-postgres lint messages browser pdf-deps clean \
	security smoke test-new-year test-sqlite-browser

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check uv==0.13.8

$(VENV)/.installed: $(BIN)/python requirements/base.lock pyproject.toml
	$(UV) pip install --quiet --python $(BIN)/python -r requirements/base.lock
	$(UV) pip install --quiet --python $(BIN)/python --no-deps -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements/dev.lock
	$(UV) pip install --quiet --python $(BIN)/python -r requirements/dev.lock
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

run: install
	-@$(MAKE) --no-print-directory pdf-deps 2>/dev/null || echo "(PDF reports need Debian's pango: make pdf-deps as root)"
	DEBUG=1 SITE_URL=$(SITE_URL) $(BIN)/samverkan setup
	@echo ""
	@echo "  Samverkan runs at http://$(HOST):$(PORT)/"
	@echo "  Demo login: demo@samverkan.localhost / samverkan-demo (admin of Länsstyrelsen i Skåne län)"
	@echo "  Also: kommun@samverkan.localhost (editor, Malmö stad), admin@samverkan.localhost (superuser)"
	@echo ""
	DEBUG=1 SITE_URL=$(SITE_URL) $(BIN)/samverkan runserver $(HOST):$(PORT)

# Debian's chromium for the browser tests (installed once; needs root, as on this machine).
browser:
	@command -v chromium >/dev/null 2>&1 || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null)

# Debian's pango for WeasyPrint (PDF reports), an Ethiopic font (Tigrinya names) and poppler's
# pdftoppm (the report tests keep the pages as PNG artefacts);
# installed only when missing (needs root).
pdf-deps:
	@ldconfig -p 2>/dev/null | grep -q libpangoft2-1.0 || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 >/dev/null)
	@fc-list :lang=ti 2>/dev/null | grep -q . || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-sil-abyssinica >/dev/null)
	@command -v pdftoppm >/dev/null 2>&1 || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils >/dev/null) || echo "(no pdftoppm: the report tests keep no PNG pages)"

# The whole suite on each database, once: on SQLite with the clock started at 00:30 on New
# Year's Eve in Stockholm (test-new-year: a test that depends on the hour or the date fails
# there), except the browser journeys and the permission matrix, which freeze no clock of their
# own and run at the real time (test-sqlite-browser); on PostgreSQL at the real time.
test: install-dev browser pdf-deps
	$(MAKE) --no-print-directory lint
	$(MAKE) --no-print-directory test-new-year
	$(MAKE) --no-print-directory test-sqlite-browser
	$(MAKE) --no-print-directory test-postgres

test-sqlite:
	@echo "== tests on SQLite =="
	DEBUG=1 DATABASE_URL=sqlite:///$(CURDIR)/var/test.sqlite3 $(BIN)/pytest -q -n 2 --durations=15 $(PYTEST_ARGS)

test-postgres:
	@echo "== tests on PostgreSQL =="
	@if DEBUG=1 $(BIN)/python scripts/pg_available.py "$(PG_URL)"; then \
	  DEBUG=1 DATABASE_URL=$(PG_URL) TEST_DATABASE_NAME=$(PG_TEST_DB) $(BIN)/pytest -q -n 2 --durations=15 $(PYTEST_ARGS); \
	elif [ "$$CI" = "true" ]; then \
	  echo "PostgreSQL at $(PG_URL) is unreachable: under CI=true that is a failure."; exit 1; \
	else \
	  echo "PostgreSQL at $(PG_URL) is unreachable: PostgreSQL tests SKIPPED (set PG_URL)."; \
	fi

# The suite on SQLite with the clock started at 00:30 on New Year's Eve in Stockholm
# (conftest.py, SAMVERKAN_TEST_CLOCK), all but the browser journeys and the permission matrix.
test-new-year:
	@echo "== tests on SQLite at 00:30 Europe/Stockholm, 31 December =="
	SAMVERKAN_TEST_CLOCK=$$(date +%Y)-12-31T00:30 DEBUG=1 \
	  DATABASE_URL=sqlite:///$(CURDIR)/var/test-new-year.sqlite3 $(BIN)/pytest -q -n 2 \
	  --durations=15 -m "not e2e and not matrix" $(PYTEST_ARGS)

# The browser journeys and the permission matrix on SQLite, at the real time.
test-sqlite-browser:
	@echo "== browser journeys and the permission matrix on SQLite =="
	DEBUG=1 DATABASE_URL=sqlite:///$(CURDIR)/var/test.sqlite3 $(BIN)/pytest -q -n 2 \
	  --durations=5 -m "e2e or matrix" $(PYTEST_ARGS)

# Security gates: known vulnerabilities in the locked dependencies (pip-audit; needs PyPI's
# JSON API, fails clearly without it, or reports SKIPPED with PIP_AUDIT_FLAGS=--if-reachable),
# bandit over the application code (reviewed exceptions carry `# nosec <id>` and a reason),
# and schemathesis against /api/openapi.json on a live server with demo data (no 5xx allowed).
PIP_AUDIT_FLAGS ?=
security: install-dev
	@echo "== pip-audit (requirements/base.lock) =="
	$(BIN)/python scripts/pip_audit.py $(PIP_AUDIT_FLAGS)
	@echo "== bandit (samverkan; tests and migrations excluded) =="
	$(BIN)/bandit -r samverkan -q -x '*/tests/*,*/migrations/*' && echo "bandit: no issues"
	@echo "== schemathesis (live server, demo data) =="
	$(BIN)/python scripts/api_fuzz.py

# Production smoke test: 2 gunicorn web processes + 2 job workers on PostgreSQL (and Redis).
smoke: install-dev
	@echo "== production smoke test =="
	@if DEBUG=1 $(BIN)/python scripts/pg_available.py "$(PG_URL)"; then \
	  $(BIN)/python bench/production_smoke.py --pg "$(PG_URL)"; \
	elif [ "$$CI" = "true" ]; then \
	  echo "PostgreSQL at $(PG_URL) is unreachable: under CI=true that is a failure."; exit 1; \
	else \
	  echo "PostgreSQL at $(PG_URL) is unreachable: smoke test SKIPPED (set PG_URL)."; \
	fi

# ruff skips migrations (extend-exclude in pyproject.toml); mypy per-module settings are there too.
LINT_PATHS := samverkan tests conftest.py bench scripts

lint: install-dev
	$(BIN)/ruff check $(LINT_PATHS)
	$(BIN)/ruff format --check $(LINT_PATHS)
	DEBUG=1 $(BIN)/mypy samverkan
	$(BIN)/lint-imports

# Refresh and compile the English catalogue from the sources; report what is untranslated.
messages: install-dev
	DEBUG=1 $(BIN)/python scripts/translate_check.py --update --compile

clean:
	rm -rf $(VENV) var
