# Two commands on a fresh clone (Python 3.11 + make): `make run`, then `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export WAREHOUSE_DIR ?= $(CURDIR)/warehouse
export DAGSTER_HOME ?= $(WAREHOUSE_DIR)/dagster_home
MANIFEST := dbt_project/target/manifest.json

.PHONY: install run test dev lint bench clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

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
	$(BIN)/python -m pytest -q

## Dagster UI on http://127.0.0.1:3000 (asset graph, checks, schedule, sensor).
dev: install
	$(BIN)/dagster dev -w workspace.yaml

PY_SOURCES := orchestration tests bench scripts dbt_project/lint
lint: install
	$(BIN)/ruff check $(PY_SOURCES)
	$(BIN)/ruff format --check $(PY_SOURCES)
	$(BIN)/sqlfluff lint --disable-progress-bar dbt_project/models dbt_project/macros dbt_project/tests

bench: install
	$(BIN)/python bench/refresh_benchmark.py

clean:
	rm -rf $(VENV) warehouse dbt_project/target dbt_project/logs
