"""The Dagster code location: `dagster dev -w workspace.yaml` loads `defs` from here."""

import sys
from pathlib import Path

import dagster as dg
from dagster_dbt import DbtCliResource

from orchestration.assets.connectors import CONNECTOR_ASSETS
from orchestration.assets.dbt import DBT_PROJECT, dbt_models
from orchestration.assets.publish import serving_duckdb
from orchestration.assets.raw import RAW_ASSETS
from orchestration.automation import landing_sensor, monthly_refresh, refresh_job
from orchestration.resources import WarehouseResource

# The dbt next to this interpreter (the project's venv), whatever PATH says.
DBT_EXECUTABLE = str(Path(sys.executable).parent / "dbt")

defs = dg.Definitions(
    assets=[*RAW_ASSETS, dbt_models, serving_duckdb, *CONNECTOR_ASSETS],
    jobs=[refresh_job],
    schedules=[monthly_refresh],
    sensors=[landing_sensor],
    resources={
        "warehouse": WarehouseResource(),
        "dbt": DbtCliResource(project_dir=DBT_PROJECT, dbt_executable=DBT_EXECUTABLE),
    },
)
