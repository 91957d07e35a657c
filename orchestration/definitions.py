"""The Dagster code location: `dagster dev -w workspace.yaml` loads `defs` from here."""

import dagster as dg

from orchestration.assets.connectors import CONNECTOR_ASSETS
from orchestration.assets.dbt import dbt_models, dbt_resource
from orchestration.assets.publish import serving_duckdb
from orchestration.assets.raw import RAW_ASSETS
from orchestration.automation import landing_sensor, monthly_refresh, refresh_job
from orchestration.resources import WarehouseResource

defs = dg.Definitions(
    assets=[*RAW_ASSETS, dbt_models, serving_duckdb, *CONNECTOR_ASSETS],
    jobs=[refresh_job],
    schedules=[monthly_refresh],
    sensors=[landing_sensor],
    resources={
        "warehouse": WarehouseResource(),
        "dbt": dbt_resource(),
    },
)
