# LeadIT Tracker. `make run` and `make test` are all a fresh machine needs (see README.md).
.DEFAULT_GOAL := help
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# Development settings for every target (unset, the settings are production's); `make serve`,
# the benchmark and the load test set their own.
export DJANGO_DEBUG ?= 1
# Tests run on this many processes (pytest-xdist); browser and threaded tests run apart, after.
TEST_WORKERS ?= auto

# A Python >= 3.12: $(PYTHON) if given (and only it), else the first suitable one on PATH or
# under pyenv (pyenv's shims fail while its global version is older, so look in its folders).
define find_python
if [ -n "$(PYTHON)" ]; then candidates="$(PYTHON)"; else candidates="python3.13 python3.12 python3.14 python3"; fi; \
for candidate in $$candidates \
    $$([ -n "$(PYTHON)" ] || ls -d $$(pyenv root 2>/dev/null || echo $$HOME/.pyenv)/versions/3.1[2-9]*/bin/python 2>/dev/null | sort -rV); do \
  [ -n "$$candidate" ] || continue; \
  if "$$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then \
    echo "$$candidate"; exit 0; \
  fi; \
done; exit 1
endef

.PHONY: help run serve test lint fmt fixture migrate backup restore clean loadtest bench screenshots

help:
	@echo "make run    set up (virtualenv, dependencies, database, demo data) and serve on 127.0.0.1:$(PORT), with the background worker"
	@echo "make test   run the whole test suite (DATABASE_URL picks the database; SQLite by default)"
	@echo "make serve  the production configuration locally (DEBUG off, gunicorn, whitenoise, the worker)"
	@echo "make lint   ruff and the migrations check;  make fmt  format the code"
	@echo "make fixture  rebuild fixtures/leadit.json from leadit/demo/builder/"
	@echo "make backup   dump the database to backups/;  make restore FILE=...  load one into an empty database"
	@echo "make loadtest  two gunicorn instances on PostgreSQL under simulated users (docs/deployment.md)"
	@echo "make bench    speed at 100,000 projects against the admin (docs/performance.md)"
	@echo "make screenshots  every page type, desktop and phone, into docs/screenshots/"

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@python="$$( $(find_python) )" || { \
	  if [ -n "$(PYTHON)" ]; then echo "Error: PYTHON=$(PYTHON) is not a Python 3.12 or newer." >&2; \
	  else echo "Error: LeadIT Tracker needs Python 3.12 or newer, and none was found." >&2; fi; \
	  echo "Install one (e.g. 'pyenv install 3.13') or point to it: make run PYTHON=/path/to/python3.13" >&2; \
	  exit 1; }; \
	if [ ! -x $(PY) ] || ! $(PY) -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then \
	  echo "Creating $(VENV) with $$python ($$("$$python" --version))"; \
	  rm -rf $(VENV) && "$$python" -m venv $(VENV); \
	fi
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@

migrate: $(VENV)/.installed
	$(PY) manage.py migrate --noinput

# The background worker (django.tasks on django-tasks-db: the dashboard's figures, large exports)
# runs beside the web server and stops with it (Ctrl+C, or the server ending).
define with_worker
$(PY) manage.py db_worker --queue-name '*' & worker=$$!; \
trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
echo "Background worker started (pid $$worker)";
endef

run: migrate
	$(PY) manage.py setup_demo
	@echo "Serving LeadIT Tracker on http://127.0.0.1:$(PORT)/"
	@$(with_worker) \
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

# The production configuration on this machine: DEBUG off, collected and compressed static files,
# gunicorn. Plain http on loopback (DJANGO_LOCAL_HTTP=1); a throwaway secret key unless one is set.
serve: migrate
	@export DJANGO_DEBUG=0 DJANGO_LOCAL_HTTP=1 \
	  DJANGO_ALLOWED_HOSTS="$${DJANGO_ALLOWED_HOSTS:-127.0.0.1,localhost}" \
	  DJANGO_SECRET_KEY="$${DJANGO_SECRET_KEY:-$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')}"; \
	$(PY) manage.py collectstatic --noinput -v0 || exit 1; \
	echo "Serving the production configuration on http://127.0.0.1:$(PORT)/ (gunicorn)"; \
	$(with_worker) \
	$(VENV)/bin/gunicorn leadit.wsgi --bind 127.0.0.1:$(PORT) --workers $${WORKERS:-3} \
	  --no-control-socket --access-logfile - --forwarded-allow-ips 127.0.0.1

# Test tools from npm: axe-core (accessibility) and the Nu Html Checker (vnu.jar, needs java).
node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { echo "Error: npm (Node.js) is needed for the HTML and accessibility checks of make test." >&2; exit 1; }
	@command -v java >/dev/null || echo "Warning: no java; the HTML validity check will be skipped." >&2
	npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	@touch $@

test: $(VENV)/.installed node_modules/.installed
	$(PY) -m pytest -n $(TEST_WORKERS) -m "not e2e and not serial" $(ARGS)
	$(PY) -m pytest -m "e2e or serial" $(ARGS)

# Full-page screenshots of every page type, desktop and phone, into docs/screenshots/.
screenshots: $(VENV)/.installed node_modules/.installed
	LEADIT_SCREENSHOTS=docs/screenshots $(PY) -m pytest tests/e2e/test_pages_browser.py tests/e2e/test_conflict_browser.py tests/e2e/test_responsive_browser.py -q

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run

fmt: $(VENV)/.installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

backup: $(VENV)/.installed
	$(PY) manage.py backup

restore: migrate
	@[ -n "$(FILE)" ] || { echo "Usage: make restore FILE=backups/leadit-....json.gz" >&2; exit 1; }
	$(PY) manage.py restore "$(FILE)"

fixture: $(VENV)/.installed
	@rm -f /tmp/leadit-fixture.sqlite3
	DATABASE_URL=sqlite:////tmp/leadit-fixture.sqlite3 $(PY) manage.py migrate --noinput -v0
	DATABASE_URL=sqlite:////tmp/leadit-fixture.sqlite3 $(PY) manage.py build_fixture
	@rm -f /tmp/leadit-fixture.sqlite3

clean:
	rm -rf $(VENV) node_modules staticfiles .pytest_cache .ruff_cache

# Load and fault test on PostgreSQL (not part of make test): see bench/loadtest.py --help.
# make loadtest ARGS="--users 80 --duration 60 --restart-db"
loadtest: $(VENV)/.installed
	$(PY) bench/loadtest.py $(ARGS)

# Speed at 100,000 projects on SQLite and PostgreSQL, against the Django admin (docs/performance.md).
# make bench ARGS="--reuse" keeps databases already built; ARGS="--databases sqlite" for one.
bench: $(VENV)/.installed
	$(PY) bench/bench.py $(ARGS)
