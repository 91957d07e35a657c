"""dbt models as Dagster assets; `dbt build` runs models and their tests (tests = asset checks).

A build recomputes what changed (orchestration.ledger.BuildPlan): the raw feeds note new or revised months
as pending; dbt builds only the models downstream of the feeds that changed (and runs only their tests), and
the incremental models (stg_kcs_monthly_partner_vintages) delete and insert those months only (listed in
raw._build_window, read from `raw.<feed>__window`); the small models downstream are rebuilt whole. Models
not downstream of a changed feed keep their tables; their assets are reported unchanged (so the publication
downstream still runs). A changed dbt project (manifest) or `refresh --full` rebuilds everything
(`--full-refresh`). With nothing pending, an unchanged project and the last build published, dbt does not
run at all. Pending months are cleared only after a successful build, so a failed build is retried by the
next refresh; a build whose run died before publishing is built and published again by the next one.
"""

import shutil
from collections.abc import Callable
from functools import cache
from pathlib import Path

import dagster as dg
from dagster_dbt import DbtCliResource, dbt_assets

from orchestration import clock, freshness, ledger
from orchestration.dbt.project import DBT_PROJECT, manifest_sha256, not_downstream_of, prepare_if_dev
from orchestration.dbt.translator import WarehouseTranslator
from orchestration.defs.resources import WRITER_POOL, WarehouseResource
from orchestration.feeds import FEEDS
from orchestration.raw_views import create_window_view
from orchestration.serving import published_run
from orchestration.settings import export_for_dbt

# dbt unit tests test the SQL's logic on fixtures, not the data: they run in the test suite and CI
# (tests/dbt/test_unit_tests.py, `make test-fast`), not in every refresh, as dbt recommends for production builds
BUILD = ["build", "--exclude-resource-type", "unit_test"]


def dbt_args(
    plan: ledger.BuildPlan, unaffected: Callable[[tuple[str, ...]], list[str]] = not_downstream_of
) -> list[str]:
    """The dbt command for a build plan: everything, or only what is downstream of the feeds that changed.

    Unit tests are left out (BUILD). The subset is expressed as `--exclude` of everything else
    (`unaffected(feeds)`): dagster-dbt adds its own `--select fqn:*` to every build of the whole asset set, and
    dbt unions several `--select`s. With `--indirect-selection empty` a test runs exactly when it is downstream
    of a changed feed.
    """
    if plan.full_rebuild:
        return [*BUILD, "--full-refresh"]
    if not plan.feeds:  # e.g. the last build was not published: build it all again, nothing to recompute
        return list(BUILD)
    return [*BUILD, "--exclude", " ".join(unaffected(plan.feeds)), "--indirect-selection", "empty"]


def _keep_parse_cache(run_target: Path) -> None:
    """Keep dbt's partial-parse cache of this run for the next one (dagster-dbt copies it into each run's
    target dir): a warehouse in another WAREHOUSE_DIR then re-parses the project once, not every run."""
    cache_file = run_target / "partial_parse.msgpack"
    if cache_file.exists():
        kept = DBT_PROJECT.project_dir / "target" / cache_file.name
        shutil.copy(cache_file, kept.with_suffix(".tmp"))
        kept.with_suffix(".tmp").replace(kept)


def _unchanged_outputs(context: dg.AssetExecutionContext, plan: ledger.BuildPlan):
    """An output for every selected model and seed the build leaves as it is (not downstream of a changed feed),
    parents first, so that the publication downstream of every mart still runs."""
    if plan.full_rebuild or not plan.feeds:
        return
    by_name = {key.path[-1]: name for name, key in context.assets_def.keys_by_output_name.items()}
    selected = {context.assets_def.get_output_name_for_asset_key(k) for k in context.selected_asset_keys}
    for node in not_downstream_of(plan.feeds):
        if by_name.get(node) in selected:
            yield dg.Output(
                None, output_name=by_name[node], metadata={"rebuilt": False, "why": "no upstream feed changed"}
            )


@cache
def dbt_models() -> dg.AssetsDefinition:
    """The dbt assets, built once from a current manifest."""
    prepare_if_dev()

    @dbt_assets(manifest=DBT_PROJECT.manifest_path, dagster_dbt_translator=WarehouseTranslator(), pool=WRITER_POOL)
    def dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource):
        """`dbt build` of what changed (see orchestration/defs/dbt.py); a failing test fails the step."""
        with warehouse.writer():  # held while dbt writes the file too
            paths = warehouse.paths()
            with warehouse.connect() as con:  # closed before dbt opens the file
                ledger.ensure_tables(con)
                plan = ledger.build_plan(con, manifest_sha256(), published_run(paths))
                started = clock.now()  # the clock pending rows are noted with
                ledger.set_build_window(con, plan.months)
                freshness.write(con, started.date())  # what the mart feed_freshness publishes
                for spec in (s for s in FEEDS.values() if s.month_column):  # what incremental models read
                    create_window_view(spec, list(plan.months), con)
            if not plan.needed:
                context.log.info("nothing changed since the last build: dbt not run, serving.duckdb stays as published")
                return
            args = dbt_args(plan)
            scope = "--full-refresh" if plan.full_rebuild else f"downstream of {', '.join(plan.feeds) or 'any feed'}"
            context.log.info(f"dbt build {scope} ({'; '.join(plan.reasons)})")
            export_for_dbt(paths)
            yield from _unchanged_outputs(context, plan)  # first: they are upstream of everything dbt builds
            invocation = dbt.cli(args, context=context)
            try:
                yield from invocation.stream()
            finally:  # dagster-dbt writes a target dir per run; the run's log keeps what matters
                _keep_parse_cache(invocation.target_path)
                shutil.rmtree(invocation.target_path, ignore_errors=True)
            with warehouse.connect() as con:
                ledger.record_build(con, manifest_sha256(), started, context.run_id)

    return dbt_models
