# Đồng Nai intellectuals warehouse — the commands people use.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export TRITHUC_HOME := $(CURDIR)
export TRITHUC_WAREHOUSE ?= $(CURDIR)/warehouse/trithuc.duckdb
export TRITHUC_LANDING ?= $(CURDIR)/warehouse/landing
export DAGSTER_HOME ?= $(CURDIR)/warehouse/dagster_home
export DBT_SEND_ANONYMOUS_USAGE_STATS := false
export DAGSTER_DISABLE_TELEMETRY := true
export DO_NOT_TRACK := 1
export PATH := $(CURDIR)/$(BIN):$(PATH)
# Secrets come from the environment; without them, local key files readable only by their owner are created.
ifeq ($(TRITHUC_PSEUDO_KEY),)
export TRITHUC_PSEUDO_KEY_FILE ?= $(CURDIR)/warehouse/secrets/pseudonymisation.key
endif
ifeq ($(TRITHUC_EXCHANGE_KEY),)
export TRITHUC_EXCHANGE_KEY_FILE ?= $(CURDIR)/warehouse/secrets/exchange.key
endif

.PHONY: setup run test dev bench lint clean samples sql privacy-scan docs

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

setup: $(STAMP)
	@$(BIN)/python -m orchestration.setup_home

## Generate sample submissions if the landing zone is empty, then materialize every asset through Dagster.
run: setup
	@$(BIN)/python -m orchestration.run_all

## Unit, dbt and end-to-end tests.
test: setup
	@$(BIN)/python -m pytest -q -n 2 --dist loadgroup

## Look for personal values of the restricted store anywhere else the pipeline writes (exit 1 on a find).
privacy-scan: setup
	@$(BIN)/python -m tools.privacy_scan

## A read-only SQL shell on the readers' snapshot warehouse/published/trithuc.duckdb (never the pipeline's file).
sql: setup
	@$(BIN)/python -m orchestration.sql_shell

## The data dictionary: dbt docs as one static page, warehouse/reports/data_dictionary/index.html (opens from disk).
docs: setup
	@$(BIN)/python -m publish.data_dictionary

## The Dagster UI on http://127.0.0.1:3000 (local only).
dev: setup
	$(BIN)/dagster dev -h 127.0.0.1 -p 3000 -m orchestration.definitions

## End-to-end time and peak memory against plain DuckDB / fastexcel / pandas baselines.
bench: setup
	@$(BIN)/python -m tests.bench.run_bench

## Sample submissions into the landing zone; what they should give (the truth) beside it, never inside it.
samples: setup
	@$(BIN)/python -m samples.generate --out $(TRITHUC_LANDING) --truth $(or $(TRITHUC_SAMPLES_TRUTH),$(CURDIR)/warehouse/samples_truth)

lint: setup
	$(BIN)/ruff check ingest orchestration expectations publish samples settings.py tests tools
	@lint=$$(mktemp -d) && mkdir -p $$lint/restricted && \
		TRITHUC_WAREHOUSE=$$lint/lint.duckdb DBT_TARGET_PATH=$$lint/target DBT_LOG_PATH=$$lint/logs \
		$(BIN)/sqlfluff lint dbt_project/models dbt_project/tests --processes 2; \
		status=$$?; rm -rf $$lint; exit $$status

clean:
	rm -rf warehouse/trithuc.duckdb* warehouse/restricted warehouse/published warehouse/exports warehouse/reports \
		warehouse/outbox dbt_project/target
