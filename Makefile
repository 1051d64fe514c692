# Two commands for a new user: `make run` (the dashboard) and `make test` (the whole suite).
# Both create .venv from the requirements files when it is missing or older than them.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PORT   ?= 8501
RUNTIME_STAMP := $(VENV)/.stamp-runtime
DEV_STAMP     := $(VENV)/.stamp-dev
PIP_INSTALL   := $(PY) -m pip install --quiet --disable-pip-version-check

.PHONY: run test fuzz bench bench-peers browser postgres db db-stop clean help

help:
	@echo "make run    - set up .venv and serve the dashboard at http://localhost:$(PORT)"
	@echo "make test   - set up .venv (+ test tools, Chromium) and run the whole test suite"
	@echo "make fuzz   - run the property tests with fresh seeds for FUZZ_MINUTES (default 10) and report crashes"
	@echo "make bench  - run the benchmarks in bench/ (10k, 100k and 1M synthetic events)"
	@echo "make bench-peers - set up .venv-peers with lonboard, the peer bench/map_bench.py measures beside us"
	@echo "make db     - start a persistent local PostgreSQL + PostGIS team store in $(DB_DIR) (make db-stop)"

$(RUNTIME_STAMP): requirements.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed; found " + sys.version.split()[0])'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP_INSTALL) -r requirements.txt
	@touch $@

$(DEV_STAMP): $(RUNTIME_STAMP) requirements-dev.txt
	$(PIP_INSTALL) -r requirements-dev.txt
	@touch $@

run: $(RUNTIME_STAMP)
	$(PY) -m streamlit run app.py --server.port $(PORT)

# The browser tests drive Debian's Chromium (no browser is downloaded by Playwright).
browser:
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing Chromium for the browser tests (apt-get)..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else \
		echo "The browser tests need Chromium at /usr/bin/chromium: run 'sudo apt-get install chromium'" >&2; exit 1; \
	fi

# The store tests start a throwaway PostgreSQL + PostGIS cluster (tests/conftest.py) from Debian's packages.
PG_CTL_GLOB := /usr/lib/postgresql/*/bin/pg_ctl
POSTGIS_GLOB := /usr/share/postgresql/*/extension/postgis.control
postgres:
	@if ls $(PG_CTL_GLOB) >/dev/null 2>&1 && ls $(POSTGIS_GLOB) >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing PostgreSQL and PostGIS for the store tests (apt-get)..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql postgresql-postgis >/dev/null; \
	else \
		echo "The store tests need PostgreSQL and PostGIS: run 'sudo apt-get install postgresql postgresql-postgis'" >&2; exit 1; \
	fi

test: $(DEV_STAMP) browser postgres
	$(PY) -m pytest

# A persistent local team store: PostgreSQL on 127.0.0.1:$(DB_PORT), data and credentials in $(DB_DIR).
# (As root the server runs as the postgres user, which cannot enter /root: the data go to /var/lib instead.)
DB_DIR  ?= $(if $(filter 0,$(shell id -u)),/var/lib/conflict-event-map/postgres,$(HOME)/.local/share/conflict-event-map/postgres)
DB_PORT ?= 5433
db: $(RUNTIME_STAMP) postgres
	$(PY) -m geo db start $(DB_DIR) --port $(DB_PORT)

db-stop: $(RUNTIME_STAMP)
	$(PY) -m geo db stop $(DB_DIR)

FUZZ_MINUTES ?= 10
fuzz: $(DEV_STAMP)
	FUZZ_MINUTES=$(FUZZ_MINUTES) $(PY) -m tests.fuzz_session

bench: $(DEV_STAMP)
	$(PY) bench/run.py

# lonboard pins its own ranges of pyarrow and anywidget: a venv of its own keeps them out of ours.
PEERS_VENV := .venv-peers
bench-peers: $(PEERS_VENV)/.stamp
$(PEERS_VENV)/.stamp: bench/requirements-peers.txt
	@test -x $(PEERS_VENV)/bin/python || $(PYTHON) -m venv $(PEERS_VENV)
	$(PEERS_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r bench/requirements-peers.txt
	@touch $@

clean:
	rm -rf $(VENV) $(PEERS_VENV) .pytest_cache
