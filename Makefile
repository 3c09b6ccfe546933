# For a fresh machine with Python 3.11 and pip (HOST=127.0.0.1:8077 make run: another port;
# links in e-mails and calendars then name it too):
#   make run   - set up, migrate, load the real data, serve on http://127.0.0.1:8000 as users
#                see it: DEBUG off, gunicorn with 2 workers, static files through WhiteNoise
#   make dev   - the same data with Django's development server and debug pages
#   make test  - the whole test suite (SQLite; DATABASE_URL=postgres://... for PostgreSQL),
#                browser tests included (Debian's chromium and chromium-driver, npm)
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000

WORKERS ?= 2
# `make run` keeps a secret key of its own in var/ (made once; never committed).
SECRET_KEY_FILE := var/secret_key

.PHONY: run dev test setup data lint bench clean messages

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

setup: $(BIN)/.installed

data: setup
	$(BIN)/clusterportal migrate --noinput
	$(BIN)/clusterportal load_data

$(SECRET_KEY_FILE):
	mkdir -p var
	$(BIN)/python -c "import secrets; print(secrets.token_urlsafe(50))" > $@
	chmod 600 $@

# The background worker (imports from the back office) runs beside gunicorn and stops with it
# (Ctrl-C or gunicorn ending); it may wait longer for SQLite's write lock than a request.
run: data $(SECRET_KEY_FILE)
	export DEBUG=0 PLAIN_HTTP=1 SECRET_KEY="$$(cat $(SECRET_KEY_FILE))" \
	  PORTAL_URL="$${PORTAL_URL:-http://$(HOST)}"; \
	DB_BUSY_TIMEOUT=30 $(BIN)/clusterportal db_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
	$(BIN)/gunicorn -c python:clusterportal.gunicorn_conf clusterportal.wsgi \
	  --workers $(WORKERS) --bind $(HOST) --access-logfile -

# The development server runs back-office imports inside the request (no worker needed).
dev: data
	TASKS_IMMEDIATE=1 PORTAL_URL="$${PORTAL_URL:-http://$(HOST)}" $(BIN)/clusterportal runserver $(HOST)

# axe-core for the browser tests, at the version package-lock.json names.
AXE := node_modules/axe-core/axe.min.js
$(AXE): package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

test: setup $(AXE)
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

# Translations (docs/translations.md): collect the msgids of every catalogue (the
# project's clusterportal/locale and each app's own locale/), then compile the .mo files.
# Each catalogue holds the strings of its own directory only.
LANGUAGES ?= en
MAKEMESSAGES = env -u DJANGO_SETTINGS_MODULE $(CURDIR)/$(BIN)/django-admin makemessages \
	$(foreach l,$(LANGUAGES),-l $(l)) --add-location=file --no-obsolete \
	--ignore=tests --ignore=migrations --ignore=static
# The Django apps of the package (folders with an apps.py); each keeps its own catalogue.
APPS = $(patsubst clusterportal/%/apps.py,%,$(wildcard clusterportal/*/apps.py))

messages: setup
	cd clusterportal && $(MAKEMESSAGES) --ignore=analytics $(foreach a,$(APPS),--ignore=$(a))
	for app in $(APPS); do mkdir -p clusterportal/$$app/locale && (cd clusterportal/$$app && $(MAKEMESSAGES)) || exit 1; done
	# The creation time would change every catalogue on every run (and clash in merges).
	find clusterportal -path '*/locale/*/LC_MESSAGES/django.po' -exec sed -i '/^"POT-Creation-Date: /d' {} +
	cd clusterportal && env -u DJANGO_SETTINGS_MODULE $(CURDIR)/$(BIN)/django-admin compilemessages

clean:
	rm -rf $(VENV) var node_modules
