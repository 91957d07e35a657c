"""publish/serving_duckdb: runs only after every raw gate and every dbt test has passed."""

import dagster as dg

from orchestration.assets.dbt import WarehouseTranslator, mart_models
from orchestration.assets.raw import WRITER_POOL
from orchestration.resources import WarehouseResource
from orchestration.serving import SERVING_SCHEMA, publish

TRANSLATOR = WarehouseTranslator()


def _mart_keys() -> list[dg.AssetKey]:
    return [TRANSLATOR.get_asset_key(node) for node in mart_models().values()]


@dg.asset(
    key=["publish", "serving_duckdb"],
    deps=_mart_keys(),
    group_name="publish",
    kinds={"duckdb"},
    pool=WRITER_POOL,
    description="The marts copied to serving.duckdb (schema `marts`), the read-only file BI tools query; "
    "swapped in atomically.",
)
def serving_duckdb(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
    paths = warehouse.paths()
    with warehouse.connect() as con:
        publication = publish(con, paths, mart_models(), context.run_id)
        shares = con.execute("""
            SELECT frequency, partner_code, strftime(period_start, '%Y-%m-%d') AS period_start,
                   round(share * 100, 2) AS share_pct
            FROM marts.destination_share
            WHERE partner_code IN ('USA', 'CHN') AND share IS NOT NULL
            QUALIFY period_start = max(period_start) OVER (PARTITION BY frequency)
            ORDER BY frequency, partner_code""").df()
    context.log.info(f"published {publication.path} ({publication.publication_id})")
    latest = {f"latest_{r.frequency}_{r.partner_code}_share_pct": float(r.share_pct) for r in shares.itertuples()}
    return dg.MaterializeResult(metadata={
        "path": str(publication.path),
        "publication_id": publication.publication_id,
        **{f"rows_{SERVING_SCHEMA}.{name}": n for name, n in publication.row_counts.items()},
        **latest,
        "latest_us_china_shares": dg.MetadataValue.md(shares.to_markdown(index=False)),
    })
