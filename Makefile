# Two commands on a fresh clone (Python 3.11 + make): `make run`, then `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export WAREHOUSE_DIR ?= $(CURDIR)/warehouse
export DAGSTER_HOME ?= $(WAREHOUSE_DIR)/dagster_home
MANIFEST := dbt_project/target/manifest.json

.PHONY: install run test test-fast stress dev lint format bench docs catalogue screenshots lock clean check-postgres check-spark

# pip pinned: a new pip on the next image must not change how the lock installs
PIP_VERSION := 26.3

$(BIN)/.installed: pyproject.toml requirements.lock
	@echo "installing the Python environment into $(VENV) (first time or after a dependency change: about 1-2 minutes)"
	@$(PYTHON) -m venv $(VENV)
	@($(BIN)/pip install --quiet pip==$(PIP_VERSION) && $(BIN)/pip install --quiet -c requirements.lock -e '.[dev,bi]') \
		> $(VENV)/install.log 2>&1 || (cat $(VENV)/install.log; echo "install failed: $(VENV)/install.log"; exit 1)
	@touch $@
	@echo "installed"

$(DAGSTER_HOME)/dagster.yaml: orchestration/dagster.yaml
	mkdir -p $(DAGSTER_HOME)
	cp $< $@

$(MANIFEST): $(BIN)/.installed $(shell find dbt_project -name '*.sql' -o -name '*.yml' -o -name '*.csv' -o -name '*.md' | grep -v target/)
	$(BIN)/python -m orchestration.dbt.project

install: $(BIN)/.installed $(MANIFEST) $(DAGSTER_HOME)/dagster.yaml

## Full refresh on the shipped sample data (+ files in warehouse/landing/); exits 1 if a gate fails.
run: install
	$(BIN)/python -m orchestration.cli refresh

## Tests (no network).
test: install
	$(BIN)/python -m pytest -q -n 2 --dist loadscope

## The fast lane (~1 min): parsers, gate rules at loader level, dbt unit tests, ledger; no refresh, no server.
test-fast: install
	$(BIN)/python -m pytest -q -n 2 --dist load -m "not refresh"

## The full stress run (~10 min): BI readers during back-to-back refreshes, SIGKILLs, reruns (docs/benchmarks.md).
stress: install
	$(BIN)/python -m tests.stress.refresh_under_load

## docs/marts.md, the catalogue of the marts, from their dbt YAML (reads the manifest: no refresh needed).
catalogue: install
	$(BIN)/python -m orchestration.dbt.catalogue

## docs/marts.md (`make catalogue`), then the static dbt docs site, <warehouse>/docs/index.html (after `make run`).
docs: catalogue
	$(BIN)/python -m orchestration.cli docs

## docs/img/*.png again from the published warehouse (after `make run`): the report page, the shares chart, the
## Dagster UI's page of that chart (scripts/screenshots.py; needs Chromium: apt-get install chromium fonts-noto-cjk).
screenshots: install
	$(BIN)/python scripts/screenshots.py

## Regenerate requirements.lock (every pinned version make installs) after changing dependencies in pyproject.toml.
lock:
	$(PYTHON) -m venv /tmp/kew-lock-venv && /tmp/kew-lock-venv/bin/pip install --quiet pip-tools==7.5.1
	/tmp/kew-lock-venv/bin/pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-find-links --no-header \
		--extra dev --extra bi --extra postgres --extra spark \
		--output-file requirements.lock pyproject.toml

## Dagster UI on http://127.0.0.1:3000 (asset graph, checks, schedule, sensor).
dev: install
	$(BIN)/dagster dev -w workspace.yaml

## The Dagster instance on PostgreSQL (deploy/dagster.postgres.yaml): a throw-away local server, the daemon, the
## landing sensor's two runs one at a time, checked in PostgreSQL (scripts/check_postgres.py; needs `postgresql`).
check-postgres: install
	@$(BIN)/python -c 'import dagster_postgres' 2>/dev/null || ($(BIN)/pip install --quiet -c requirements.lock -e '.[postgres]' \
		> $(VENV)/install-postgres.log 2>&1 || (cat $(VENV)/install-postgres.log; exit 1))
	$(BIN)/python scripts/check_postgres.py

## Every dbt model built on Apache Spark (target `spark`, local mode) from the published raw layer, each mart
## compared with serving.duckdb (orchestration/spark_check.py; needs Java 17: openjdk-17-jre-headless).
## dbt-spark and pyspark get a venv of their own, .venv-spark: in the warehouse's venv, pyspark would be imported
## by Great Expectations in every Dagster run process (and exits there without pyarrow).
SPARK_VENV := .venv-spark
$(SPARK_VENV)/.installed: requirements.lock
	@echo "installing dbt-spark and pyspark into $(SPARK_VENV) (first time: about 1 minute)"
	@$(PYTHON) -m venv $(SPARK_VENV)
	@$(SPARK_VENV)/bin/pip install --quiet -c requirements.lock dbt-core 'dbt-spark[session]' pyspark \
		> $(SPARK_VENV)/install.log 2>&1 || (cat $(SPARK_VENV)/install.log; echo "install failed: $(SPARK_VENV)/install.log"; exit 1)
	@touch $@

check-spark: run $(SPARK_VENV)/.installed
	$(BIN)/python -m orchestration.spark_check

PY_SOURCES := orchestration tests bench scripts dbt_project/lint
SQL_SOURCES := dbt_project/models dbt_project/macros dbt_project/tests
lint: install
	$(BIN)/ruff check $(PY_SOURCES)
	$(BIN)/ruff format --check $(PY_SOURCES)
	$(BIN)/sqlfluff lint --disable-progress-bar $(SQL_SOURCES)

## Rewrite the sources `make lint` checks: ruff's fixes and format (Python), sqlfluff's fixes (dbt SQL); what cannot
## be fixed automatically is listed and fails the target.
format: install
	$(BIN)/ruff check --fix $(PY_SOURCES)
	$(BIN)/ruff format $(PY_SOURCES)
	$(BIN)/sqlfluff fix --disable-progress-bar $(SQL_SOURCES)

bench: install
	$(BIN)/python bench/refresh_benchmark.py $(if $(ROWS),--rows $(ROWS))

clean:
	rm -rf $(VENV) $(SPARK_VENV) warehouse dbt_project/target dbt_project/logs
