# Placette — the two commands: `make run` (demo cooperative at http://127.0.0.1:8000) and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000

.PHONY: run test test-postgres test-deploy test-browser lint format bench bench-load setup setup-test clean mypy

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || "$$(sh scripts/find_python.sh)" -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed pyproject.toml
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

setup: $(VENV)/.installed
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 $(PY) manage.py seed_demo

run: setup
	@echo "Placette : http://127.0.0.1:$(PORT)/ (Ctrl+C pour arrêter)"
	@echo "Courriels envoyés (codes de connexion) : http://127.0.0.1:$(PORT)/dev/courriels/"
	@DEBUG=1 PORT=$(PORT) $(PY) manage.py db_worker --queue-name '*' & worker=$$!; \
	trap "kill $$worker 2>/dev/null" EXIT INT TERM; \
	DEBUG=1 PORT=$(PORT) $(PY) manage.py runserver 127.0.0.1:$(PORT)

setup-test: $(VENV)/.installed-test

test: setup-test
	$(PY) -m pytest -n 2 -q

test-postgres: setup-test
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/placette} $(PY) -m pytest -n 2 -q

# Two gunicorn processes and two workers in the production settings on PostgreSQL (bounded).
test-deploy: setup-test
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/placette} $(PY) scripts/two_processes.py

test-browser: setup-test
	$(PY) -m pytest -q -m browser -p no:xdist

lint: setup-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: setup-test
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

mypy: setup-test
	DEBUG=1 $(VENV)/bin/mypy placette/lib placette/governance/tally.py placette/membership/ledger.py placette/membership/colleges.py \
		placette/places/indexation.py placette/contacts/communes.py placette/contacts/services.py \
		placette/accounts/services.py placette/membership/services.py placette/places/services placette/places/queries.py \
		placette/governance/services.py placette/governance/live.py placette/membership/subscriptions.py

bench: setup-test
	DEBUG=1 $(PY) bench/run.py

# Bounded load test on loopback (gunicorn, 100,000 members): throughput and p95 per phase.
bench-load: setup-test
	$(PY) bench/load.py

clean:
	rm -rf $(VENV) staticfiles .test-media .dev-mail .test-private
