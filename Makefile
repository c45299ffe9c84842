# Himaya: set-up, run, test and benchmark. Works on a fresh Debian machine as root.
#   make run     install, migrate, load the geography and the demo data, start worker + server
#   make test    install, then ruff, mypy, pytest on SQLite and on PostgreSQL
#   make bench   run every bench/bench_*.py
#   make lint    ruff + mypy only
#   make format  ruff format + safe ruff fixes

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HIMAYA := $(BIN)/himaya
VAR := var

# Stamps make a second `make install` a no-op until an input changes.
PY_STAMP := $(VENV)/.himaya-installed
NODE_STAMP := node_modules/.himaya-installed
STATIC_STAMP := $(VAR)/.static-collected

PO_FILES := $(wildcard locale/*/LC_MESSAGES/*.po)
MO_FILES := $(PO_FILES:.po=.mo)
STATIC_SOURCES := $(shell find src -path '*/static/*' -type f 2>/dev/null)

export DJANGO_SETTINGS_MODULE := himaya.config.settings

.PHONY: help install system-packages run test lint format bench messages clean

help:
	@echo "make run    start Himaya on http://127.0.0.1:8000 (installs what it needs)"
	@echo "make test   lint, type-check and run all tests on SQLite and PostgreSQL"
	@echo "make bench  run the benchmarks in bench/"
	@echo "make lint   ruff and mypy"
	@echo "make format format the code with ruff"

# fonts-hosny-amiri: the Arabic and Latin font of the PDF documents (inspection.documents).
system-packages:
	@packages="gettext fonts-hosny-amiri"; \
	command -v npm >/dev/null 2>&1 || packages="$$packages npm"; \
	scripts/ensure-system-packages.sh $$packages

install: system-packages $(PY_STAMP) $(NODE_STAMP) $(MO_FILES) $(STATIC_STAMP)

$(PY_STAMP): pyproject.toml rules/pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
		|| { echo "Python 3.11 or newer is needed ($(PYTHON))" >&2; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet -e ./rules
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(MO_FILES) &: $(PO_FILES) | $(PY_STAMP)
	$(HIMAYA) compilemessages --ignore=.venv --ignore=node_modules --ignore=var --ignore=rules -v 0
	touch $(MO_FILES)

$(STATIC_STAMP): $(PY_STAMP) $(NODE_STAMP) $(STATIC_SOURCES)
	mkdir -p $(VAR)
	$(HIMAYA) collectstatic --noinput --clear -v 0
	touch $@

# A second run on the same database starts in seconds: the geography load is
# skipped when unchanged and the demo data when children exist.
run: install
	$(HIMAYA) migrate --noinput
	$(HIMAYA) load_geography
	HIMAYA_DEBUG=1 $(HIMAYA) seed-demo --children 5000 --if-empty
	HIMAYA_DEBUG=1 HIMAYA=$(HIMAYA) scripts/run.sh

# default-jre-headless: Java for pyspark (tests/linkage/test_spark.py), when there is none.
test:
	@scripts/ensure-system-packages.sh gettext chromium postgresql $$(command -v npm >/dev/null 2>&1 || echo npm) $$(command -v java >/dev/null 2>&1 || echo default-jre-headless)
	@$(MAKE) --no-print-directory install
	BIN=$(BIN) scripts/test.sh

lint: install
	$(BIN)/ruff check .
	$(BIN)/mypy

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: install
	@shopt -s nullglob; \
	scripts=(bench/bench_*.py); \
	if [ $${#scripts[@]} -eq 0 ]; then echo "No benchmark yet (bench/bench_*.py)."; exit 0; fi; \
	for script in "$${scripts[@]}"; do \
		echo "==> $$script"; \
		$(BIN)/python "$$script"; \
	done

# Refresh the French and Arabic catalogues after changing translatable strings.
messages: install
	$(HIMAYA) makemessages -l fr -l ar --no-obsolete --add-location=file --ignore=.venv --ignore=node_modules --ignore=var --ignore=rules

clean:
	rm -rf $(VENV) node_modules $(VAR) .pytest_cache .mypy_cache .ruff_cache
	find locale -name '*.mo' -delete
