# Two commands for a new user: `make run` (the dashboard) and `make test` (the whole suite).
# Both create .venv from the requirements files when it is missing or older than them.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PORT   ?= 8501
RUNTIME_STAMP := $(VENV)/.stamp-runtime
DEV_STAMP     := $(VENV)/.stamp-dev
PIP_INSTALL   := $(PY) -m pip install --quiet --disable-pip-version-check

.PHONY: run test bench browser clean help

help:
	@echo "make run    - set up .venv and serve the dashboard at http://localhost:$(PORT)"
	@echo "make test   - set up .venv (+ test tools, Chromium) and run the whole test suite"
	@echo "make bench  - run the benchmarks in bench/ (10k, 100k and 1M synthetic events)"

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

test: $(DEV_STAMP) browser
	$(PY) -m pytest

bench: $(DEV_STAMP)
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) .pytest_cache
