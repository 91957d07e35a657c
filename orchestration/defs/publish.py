"""publish/serving_duckdb: runs only after every raw gate and every dbt test has passed."""

import dagster as dg
from dagster_dbt import get_asset_key_for_model

from orchestration.dbt.docs import docs_page
from orchestration.dbt.project import mart_models
from orchestration.defs.resources import WRITER_POOL, WarehouseResource
from orchestration.reports.headlines import latest_us_china_shares
from orchestration.serving import SERVING_SCHEMA, publish


def build_serving_asset(dbt_models: dg.AssetsDefinition) -> dg.AssetsDefinition:
    """The publication, downstream of every mart of `dbt_models`."""

    @dg.asset(
        key=["publish", "serving_duckdb"],
        deps=[get_asset_key_for_model([dbt_models], name) for name in mart_models()],
        group_name="publish",
        kinds={"duckdb"},
        pool=WRITER_POOL,
        description="The marts copied to serving.duckdb (schema `marts`), the read-only file BI tools query; "
        "swapped in atomically.",
    )
    def serving_duckdb(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
        with warehouse.connect() as con:
            publication = publish(con, warehouse.paths(), mart_models(), context.run_id)
            shares = latest_us_china_shares(con)
        kept = len(publication.row_counts) - len(publication.copied)
        context.log.info(
            f"published {publication.path} ({publication.publication_id}): {len(publication.copied)} mart(s) "
            f"changed and copied, {kept} unchanged and kept"
        )
        for name, rows in publication.row_counts.items():  # the UI shows each mart's published rows on the mart
            mart = get_asset_key_for_model([dbt_models], name)
            context.log_event(dg.AssetObservation(asset_key=mart, metadata={"dagster/row_count": rows}))
        docs = docs_page(warehouse.paths())
        table = ["| frequency | partner_code | period_start | share_pct |", "|---|---|---|---|"]
        table += [f"| {freq} | {code} | {start:%Y-%m-%d} | {share * 100:.2f} |" for freq, start, code, share in shares]
        return dg.MaterializeResult(
            metadata={
                "path": str(publication.path),
                "dbt_docs": str(docs) if docs.exists() else "not built yet: make docs",
                "publication_id": publication.publication_id,
                "marts_copied": dg.MetadataValue.json(publication.copied),
                **{f"rows_{SERVING_SCHEMA}.{name}": n for name, n in publication.row_counts.items()},
                **{f"latest_{freq}_{code}_share_pct": round(share * 100, 2) for freq, _, code, share in shares},
                "latest_us_china_shares": dg.MetadataValue.md("\n".join(table)),
            }
        )

    return serving_duckdb
