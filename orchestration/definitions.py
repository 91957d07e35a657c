"""The Dagster code location: everything the UI shows, in one list (`dagster dev -w workspace.yaml`)."""

import dagster as dg

from orchestration.dbt.resource import dbt_resource
from orchestration.defs.automation import landing_sensor, monthly_refresh, refresh_job
from orchestration.defs.connectors import CONNECTOR_ASSETS
from orchestration.defs.dbt import dbt_models
from orchestration.defs.publish import build_serving_asset
from orchestration.defs.raw import RAW_ASSETS
from orchestration.defs.reports import REPORT_ASSETS
from orchestration.defs.resources import WarehouseResource


def build_defs(warehouse: WarehouseResource) -> dg.Definitions:
    """The definitions for the warehouse at `warehouse` (tests pass one in a temporary directory)."""
    return dg.Definitions(
        assets=[*RAW_ASSETS, dbt_models(), build_serving_asset(dbt_models()), *REPORT_ASSETS, *CONNECTOR_ASSETS],
        jobs=[refresh_job],
        schedules=[monthly_refresh],
        sensors=[landing_sensor],
        resources={"warehouse": warehouse, "dbt": dbt_resource()},
    )


@dg.definitions
def defs() -> dg.Definitions:
    """Loaded by Dagster (workspace.yaml, [tool.dagster]): the warehouse of WAREHOUSE_DIR."""
    return build_defs(WarehouseResource.from_env())
