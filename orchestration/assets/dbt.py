"""dbt models as Dagster assets; `dbt build` runs models and their tests (tests = asset checks).

A build recomputes what changed: the raw feeds note new or revised months in raw._pending, and the
incremental models (stg_kcs_monthly_partner_vintages) delete and insert those months only (var
`refresh_months`); the small models downstream are rebuilt whole. A changed dbt project (manifest)
or `refresh --full` rebuilds everything (`--full-refresh`). With nothing pending, an unchanged project
and the last build published, dbt does not run at all. Pending months are cleared only after a
successful build, so a failed build is retried by the next refresh; a build whose run died before
publishing is built and published again by the next one.
"""

import hashlib
import importlib.metadata
import json
import shutil
import sys
from collections.abc import Mapping
from datetime import UTC, date, datetime
from functools import cache, cached_property
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, DbtProject, dbt_assets
from packaging import version

from orchestration.assets.raw import WRITER_POOL
from orchestration.dbt_parse import parse_project
from orchestration.feeds import FEEDS
from orchestration.loading import PENDING, create_pending_table, create_window_view
from orchestration.resources import WarehouseResource, connect
from orchestration.serving import PUBLICATION_TABLE, SERVING_SCHEMA
from orchestration.settings import DBT_PROJECT_DIR

DBT_PROJECT = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)
LAYER_GROUPS = {"staging": "transform", "intermediate": "transform", "marts": "marts"}


def ensure_manifest() -> None:
    """`dbt parse` once if the manifest is missing (a fresh clone); `make` does it up front."""
    if not DBT_PROJECT.manifest_path.exists():
        parse_project()


class WarehouseDbtCli(DbtCliResource):
    """dagster-dbt's resource without two fixed costs per run (~3.5 s) this project does not need:
    `dbt --version` in a subprocess (the dbt-core of this venv is the one that runs) and an in-process
    dbt adapter (used only to fetch row counts and column metadata). dagster-dbt is pinned in
    pyproject.toml; tests/test_scale.py fails if these hooks move."""

    @cached_property
    def _cli_version(self) -> version.Version:
        return version.parse(importlib.metadata.version("dbt-core"))

    def _initialize_dbt_core_adapter(self, args):  # noqa: ARG002 - same signature as the parent
        return None


def dbt_resource() -> WarehouseDbtCli:
    """The dbt next to this interpreter (the project's venv), whatever PATH says."""
    return WarehouseDbtCli(project_dir=DBT_PROJECT, dbt_executable=str(Path(sys.executable).parent / "dbt"))


class WarehouseTranslator(DagsterDbtTranslator):
    """Keys by layer (`staging/…`, `marts/destination_share`, `reference/countries`); sources are `raw/<feed>`."""

    def get_asset_key(self, props: Mapping[str, Any]) -> dg.AssetKey:
        if props["resource_type"] == "source":
            return dg.AssetKey([props["source_name"], props["name"]])
        if props["resource_type"] == "seed":
            return dg.AssetKey(["reference", props["name"]])
        return dg.AssetKey([props["fqn"][1], props["name"]])

    def get_group_name(self, props: Mapping[str, Any]) -> str | None:
        if props["resource_type"] == "seed":
            return "reference"
        return LAYER_GROUPS.get(props["fqn"][1], "transform")


@cache
def manifest() -> dict:
    import json

    ensure_manifest()
    return json.loads(DBT_PROJECT.manifest_path.read_text(encoding="utf-8"))


def mart_models() -> dict[str, dict]:
    """Mart name -> manifest node (the models published to serving.duckdb)."""
    return {n["name"]: n for n in manifest()["nodes"].values()
            if n["resource_type"] == "model" and n["fqn"][1] == "marts"}


ensure_manifest()


BUILDS = "raw._dbt_builds"
FULL = "*"  # a pending row with this feed asks for a full rebuild (python -m orchestration.cli refresh --full)


def _manifest_sha256() -> str:
    return hashlib.sha256(DBT_PROJECT.manifest_path.read_bytes()).hexdigest()


def _keep_parse_cache(run_target: Path) -> None:
    """Keep dbt's partial-parse cache of this run for the next one (dagster-dbt copies it into each run's
    target dir): a warehouse in another WAREHOUSE_DIR then re-parses the project once, not every run."""
    cache = run_target / "partial_parse.msgpack"
    if cache.exists():
        kept = DBT_PROJECT.project_dir / "target" / cache.name
        shutil.copy(cache, kept.with_suffix(".tmp"))
        kept.with_suffix(".tmp").replace(kept)


def _published_run(serving: Path) -> str | None:
    """The Dagster run whose build serving.duckdb holds (None if nothing is published)."""
    if not serving.exists():
        return None
    with connect(serving, read_only=True) as con:
        return con.execute(f"SELECT dagster_run_id FROM {SERVING_SCHEMA}.{PUBLICATION_TABLE}").fetchone()[0]


def build_plan(con, published_run: str | None) -> tuple[list[str], bool, bool]:
    """(months to recompute, full rebuild?, anything to do?) from raw._pending, the last build and
    the run that built what is published."""
    create_pending_table(con)
    con.execute(f"CREATE TABLE IF NOT EXISTS {BUILDS} (manifest_sha256 VARCHAR, built_at TIMESTAMP, run_id VARCHAR)")
    months = [f"{m:%Y-%m-%d}" for (m,) in con.execute(
        f"SELECT DISTINCT period FROM {PENDING} WHERE period IS NOT NULL ORDER BY 1").fetchall()]
    pending, full_requested = con.execute(
        f"SELECT count(*), count(*) FILTER (WHERE feed = ?) FROM {PENDING}", [FULL]).fetchone()
    last = con.execute(f"SELECT manifest_sha256, run_id FROM {BUILDS} ORDER BY built_at DESC LIMIT 1").fetchone()
    project_changed = last is None or last[0] != _manifest_sha256()
    unpublished = last is None or last[1] != published_run
    return months, bool(full_requested) or project_changed, bool(pending) or project_changed or unpublished


@dbt_assets(manifest=DBT_PROJECT.manifest_path, dagster_dbt_translator=WarehouseTranslator(), pool=WRITER_POOL)
def dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource):
    """`dbt build` of what changed (see module docstring); a failing test fails the step."""
    published_run = _published_run(warehouse.paths().serving_db)
    with warehouse.connect() as con:  # closed before dbt opens the file
        months, full, todo = build_plan(con, published_run)
        started = datetime.now(UTC).replace(tzinfo=None)  # the clock raw._pending.noted_at uses
        for spec in (s for s in FEEDS.values() if s.partition_column):  # what incremental models read
            create_window_view(spec, [date.fromisoformat(m) for m in months], con)
    if not todo:
        context.log.info("nothing changed since the last build: dbt not run, serving.duckdb stays as published")
        return
    args = ["build", "--full-refresh"] if full else ["build", "--vars", json.dumps({"refresh_months": months})]
    context.log.info(f"dbt {args[:2]}: " + ("every month" if full else f"{len(months)} month(s) recomputed"))
    invocation = dbt.cli(args, context=context)
    try:
        yield from invocation.stream()
    finally:  # dagster-dbt writes a target dir per run; the run's log keeps what matters
        _keep_parse_cache(invocation.target_path)
        shutil.rmtree(invocation.target_path, ignore_errors=True)
    with warehouse.connect() as con:
        con.execute(f"DELETE FROM {PENDING} WHERE noted_at <= ?", [started])
        con.execute(f"INSERT INTO {BUILDS} VALUES (?, ?, ?)", [_manifest_sha256(), started, context.run_id])
