# Two commands do all the set-up on a fresh machine with Python 3.11+, git and make:
#   make demo   - create .venv, install, migrate, load the demo camp and serve it on :8000
#   make test   - create .venv, install the dev requirements and run the whole suite
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1:8000
# The suite runs on every core (pytest-xdist). `--dist loadgroup` hands each worker one test at a
# time in collection order, so the transactional tests (which pytest-django sorts last and whose
# flush removes the rows migrations seed) never run before an ordinary one on the same worker, and
# the slow browser journeys at the end spread over every worker (`--dist load` sent them in
# chunks: one worker idled for 100 s while the other ran them). A module marked
# `xdist_group` (the shared demo seed) stays on one worker and is handed out first.
# PYTEST_ARGS="-n 0 -k grid" narrows it.
PYTEST_ARGS ?= -n auto --dist loadgroup

.PHONY: demo test test-production lint format serve worker beat bench messages clean

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: $(VENV)/.installed requirements-dev.txt
	$(PIP) install --quiet -r requirements-dev.txt
	touch $@

# The demo never shows a debug page, whatever the shell exports: DEBUG stays off, and whitenoise
# serves the static files (WHITENOISE_USE_FINDERS outside production).
demo: $(VENV)/.installed
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	@echo "演示系统地址: http://$(HOST)/"
	DJANGO_DEBUG=false $(PY) manage.py runserver $(HOST)

test: $(VENV)/.dev-installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djlint --lint templates */templates */*/templates
	$(VENV)/bin/lint-imports --no-cache
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/pytest $(PYTEST_ARGS)

# What production runs, tried end to end (tests/production, left out of `make test`): gunicorn,
# a Celery worker and beat with DJANGO_ENV=production on PostgreSQL and Redis, driven through
# HTTP, a worker killed mid-summary, and the README's backup-and-restore drill. Needs both
# services and pg_dump, pg_restore and psql. Its own databases (camp_prod_ci and
# camp_prod_ci_restore on DATABASE_URL's server, Redis databases 13 and 12 of REDIS_URL's) are
# made afresh and kept after the run. A few minutes; CI runs it after `make test`.
test-production: $(VENV)/.dev-installed
	$(VENV)/bin/pytest -n 0 tests/production

lint: $(VENV)/.dev-installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# DEBUG is off here too unless asked for: DJANGO_DEBUG=1 make serve
serve: $(VENV)/.installed
	$(PY) manage.py runserver $(HOST)

worker: $(VENV)/.installed
	$(VENV)/bin/celery -A camp worker -l info

beat: $(VENV)/.installed
	$(VENV)/bin/celery -A camp beat -l info

messages: $(VENV)/.dev-installed
	$(PY) manage.py makemessages -l en --ignore=.venv --ignore=static
	$(PY) manage.py compilemessages -l en --ignore=.venv

$(VENV)/.bench-installed: $(VENV)/.dev-installed requirements-bench.txt
	$(PIP) install --quiet -r requirements-bench.txt
	touch $@

# make bench SCALE=1500 [BENCH_ARGS="--runs 5"]: needs PostgreSQL on 127.0.0.1:5432 (user
# postgres) and, at 10,000, Redis on 127.0.0.1:6379; see docs/performance.md.
bench: $(VENV)/.bench-installed
	$(PY) -m bench.run --scale $(or $(SCALE),150) $(BENCH_ARGS)
