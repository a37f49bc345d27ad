# Two commands on a fresh machine: `make run` and `make test` (see README.md).
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST_PORT ?= 127.0.0.1:8000
# pytest-xdist processes for `make test`, each with its own test database and Celery queue, a whole
# test file at a time; 0 runs the suite in one process.
PYTEST_WORKERS ?= 2

# The newest Python >= 3.12 on PATH or under pyenv; empty when there is none.
PYTHON_FOUND := $(shell scripts/find-python 2>/dev/null)

.PHONY: help run test lint format worker beat bench bench-docs clean venv browser vendor messages messages-check

help:
	@echo "make run     set everything up and serve the portal on http://$(HOST_PORT), with a Celery worker and beat"
	@echo "make test    lint, migration check and the whole test suite (browser tests included)"
	@echo "make worker  one more Celery worker (make run starts one)"
	@echo "make beat    the Celery beat scheduler on its own (make run runs one already)"
	@echo "make bench   latency of the home page and /healthz, load_reference_data and section-text times, and"
	@echo "             the load test: the main pages at national scale under gunicorn, as a share of /healthz"
	@echo "make bench-docs  the documents job on the demo submission against plain WeasyPrint (time, memory)"

$(PY):
	@if [ -z "$(PYTHON_FOUND)" ]; then \
		echo "No Python 3.12 or newer was found on PATH or under pyenv. Install one (for example" \
		     "'pyenv install 3.13' or your system's python3.13 package) and run make again." >&2; exit 1; fi
	$(PYTHON_FOUND) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Reinstalls only when the dependency list or the constraints change. --no-compile: Python compiles
# each module the first time it is imported, so only those used; pip compiling every module of every
# package took 23 of the install's 58 seconds on a 2-core machine (CI starts from a fresh clone).
$(VENV)/.installed: pyproject.toml requirements/constraints.txt | $(PY)
	$(BIN)/pip install --quiet --no-compile -c requirements/constraints.txt -e ".[dev]"
	@touch $@

venv: $(VENV)/.installed

run: export DJANGO_DEBUG ?= 1
run: venv messages
	@mkdir -p var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_reference_data
	$(PY) manage.py seed_demo
	$(PY) scripts/run-dev $(HOST_PORT)

test: venv browser messages-check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	DJANGO_SETTINGS_MODULE=tests.settings $(PY) manage.py makemigrations --check --dry-run
	CHROMIUM_PATH="$$(scripts/ensure-chromium 2>/dev/null)" $(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

# The French and Spanish catalogues compiled for the portal (polib: no system gettext needed).
messages: venv
	$(PY) scripts/messages.py compile

# Extracts every string again (makemessages, which needs GNU gettext) and fails on any string of the
# catalogues left untranslated or fuzzy; compiles them when they are complete.
messages-check: venv
	@command -v xgettext >/dev/null || { echo "makemessages needs GNU gettext: install the 'gettext' package." >&2; exit 1; }
	$(PY) scripts/messages.py check

# The browser tests drive Debian's chromium; provide it when it is missing (after venv: the last
# resort is Playwright's own download). It prints the path the pytest line above passes on.
browser:
	@scripts/ensure-chromium

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: venv
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

worker: venv
	$(BIN)/celery -A upr_portal worker --loglevel=INFO

beat: venv
	@mkdir -p var
	$(BIN)/celery -A upr_portal beat --loglevel=INFO --schedule var/celerybeat-schedule

# Throwaway test database of DATABASE_URL (SQLite by default), Redis when REDIS_URL is set (as deployed);
# BENCH_ARGS="--requests 500 --load-seconds 30" (--load-seconds 0 skips the load test).
bench: venv
	$(PY) -m scripts.bench $(BENCH_ARGS)

# The documents job (PDF and DOCX of the demo submission) in warm worker processes, beside plain
# WeasyPrint on the same HTML and LibreOffice when soffice is on PATH; BENCH_DOCS_ARGS="--runs 10".
bench-docs: venv
	$(PY) -m scripts.bench_docs $(BENCH_DOCS_ARGS)

clean:
	rm -rf $(VENV) var/static .pytest_cache .ruff_cache

# Refreshes static/vendor/ from the npm packages pinned in package.json (the copies are committed), and
# tests/browser/vendor/ from its devDependencies: axe-core, which only the browser tests load.
vendor:
	npm ci --no-audit --no-fund
	mkdir -p static/vendor/bootstrap tests/browser/vendor/axe-core
	cp node_modules/bootstrap/dist/css/bootstrap.min.css node_modules/bootstrap/dist/css/bootstrap.min.css.map \
	   node_modules/bootstrap/dist/js/bootstrap.bundle.min.js node_modules/bootstrap/dist/js/bootstrap.bundle.min.js.map \
	   node_modules/bootstrap/LICENSE static/vendor/bootstrap/
	cp node_modules/axe-core/axe.min.js node_modules/axe-core/LICENSE tests/browser/vendor/axe-core/
