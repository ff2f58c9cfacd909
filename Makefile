# Deal Tracker: `make run` serves the site with demo data; `make test` runs the suite.
# Needs only Python 3.11+ and make: everything else goes into .venv.

PYTHON ?= python3
PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
# `make test` runs pytest in one process per core (pytest-xdist's -n auto); PYTEST_WORKERS
# says how many (0: the tests run in pytest's own process). PYTEST_ARGS are added to pytest's
# command line, so one test runs as `make test PYTEST_ARGS="tests/test_models.py -k usd -n0"`
# (the later -n wins).
PYTEST_WORKERS ?= auto
PYTEST_ARGS ?=

# A first run on a laptop: debug on, a secret key made once and kept out of git, the
# public cache on (runserver is one process, so an edit clears it for every reader).
RUN_ENV := DEBUG=$${DEBUG:-1} SECRET_KEY=$${SECRET_KEY:-$$(cat .secret-key)} PUBLIC_CACHE_SECONDS=$${PUBLIC_CACHE_SECONDS:-600}

.PHONY: run test lint format install clean messages

# The translations: each .po (committed) compiled into the .mo Django reads (not
# committed), again whenever the .po changes. msgfmt is GNU gettext's (bin/ensure-gettext).
PO_FILES := $(wildcard locale/*/LC_MESSAGES/django.po)
MO_FILES := $(PO_FILES:.po=.mo)

%.mo: %.po
	bin/ensure-gettext
	msgfmt --check --output-file=$@ $<

# Brings the catalogue up to date with the code and templates (new msgids, empty
# msgstr to translate); tests/test_translations.py fails until each one is translated.
messages: $(VENV)/.installed-runtime
	DEBUG=1 SECRET_KEY=x $(MANAGE) makemessages --locale zh_Hans --no-obsolete --no-location \
		--ignore '.venv/*' --ignore 'bench/*' --ignore 'tests/*' --ignore 'templates/admin/*' \
		--ignore 'deals/admin/*' --ignore 'staticfiles/*'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.installed-runtime

.secret-key: | $(BIN)/python
	$(BIN)/python -c "import secrets; print(secrets.token_urlsafe(50))" > $@

# The same settings for `manage.py <command>` run by hand in this checkout (settings.py
# reads .env; the environment wins). Written once, never committed, kept if you edit it.
.env: | .secret-key
	printf '%s\n' "# Written by make run for this checkout; dealtracker/settings.py reads it." \
		"DEBUG=1" "SECRET_KEY=$$(cat .secret-key)" "PUBLIC_CACHE_SECONDS=600" > $@

install: $(VENV)/.installed-runtime

run: $(VENV)/.installed-runtime .secret-key .env $(MO_FILES)
	$(RUN_ENV) $(MANAGE) migrate --noinput
	$(RUN_ENV) $(MANAGE) load_demo
	$(RUN_ENV) $(MANAGE) load_rates --since 2017-01-01
	$(RUN_ENV) $(MANAGE) ensure_admin --password-file .admin-password
	$(RUN_ENV) $(MANAGE) runserver 0.0.0.0:$(PORT)

test: $(VENV)/.installed-dev $(MO_FILES)
	bin/ensure-browser
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache .hypothesis
