"""connectors/<api> assets: call a live API and land its raw responses for the gated refresh.

They are not part of the `refresh` job, the schedule or the sensor's runs: only an explicit
materialization (Dagster UI launchpad, or `python -m orchestration.cli fetch <api>`) goes online.
API keys come from environment variables (each module's API_KEY_ENV), never from run config.
"""

from types import ModuleType

import dagster as dg

from orchestration.connectors import comtrade, imf, kcs_openapi
from orchestration.connectors.http import Client, ConnectorError
from orchestration.defs.resources import WarehouseResource

CONNECTOR_MODULES: dict[str, ModuleType] = {m.SOURCE: m for m in (kcs_openapi, comtrade, imf)}
GROUP = "connectors"


def build_connector_asset(module: ModuleType) -> dg.AssetsDefinition:
    fetch_config = module.FetchConfig

    @dg.asset(
        key=[GROUP, module.SOURCE],
        group_name=GROUP,
        kinds={"api"},
        description=f"{module.__doc__.strip().splitlines()[0]} Lands raw responses in "
        f"<landing>/<feed>/; key from ${module.API_KEY_ENV}.",
    )
    def connector(context: dg.AssetExecutionContext, config: fetch_config, warehouse: WarehouseResource):
        paths = warehouse.paths()
        client = Client(module.SOURCE, paths.responses / module.SOURCE)
        try:
            landed = module.fetch(config, client, paths.landing)
        except ConnectorError as exc:
            raise dg.Failure(str(exc), metadata={"raw_response": str(exc.saved or "")}) from None
        context.log.info(f"{module.SOURCE}: {len(landed)} file(s) landed, {len(client.saved)} response(s) kept")
        return dg.MaterializeResult(
            metadata={
                "landed": dg.MetadataValue.md("\n".join(f"- {p.name}" for p in landed) or "nothing new"),
                "responses_kept": len(client.saved),
            }
        )

    return connector


CONNECTOR_ASSETS = [build_connector_asset(m) for m in CONNECTOR_MODULES.values()]
