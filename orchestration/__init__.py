"""Korea export-structure warehouse.

`definitions.py` is the Dagster code location and `defs/` holds what it loads (assets, job, schedule,
sensor, resource); everything else is plain library code: `feeds/` (specs and parsers), `loading.py`,
`ledger.py`, `raw_views.py`, `validation/`, `dbt/`, `serving.py`, `connectors/`, and `cli.py`.
"""
