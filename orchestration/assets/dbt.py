"""dbt models as Dagster assets; `dbt build` runs models and their tests (tests = asset checks)."""

import importlib.metadata
import shutil
import sys
from collections.abc import Mapping
from functools import cache, cached_property
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, DbtProject, dbt_assets
from packaging import version

from orchestration.assets.raw import WRITER_POOL
from orchestration.dbt_parse import parse_project
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


@dbt_assets(manifest=DBT_PROJECT.manifest_path, dagster_dbt_translator=WarehouseTranslator(), pool=WRITER_POOL)
def dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource):
    """`dbt build`: seeds, models and tests in DAG order; a failing test fails the step."""
    invocation = dbt.cli(["build"], context=context)
    try:
        yield from invocation.stream()
    finally:  # dagster-dbt writes a target dir per run; the run's log keeps what matters
        shutil.rmtree(invocation.target_path, ignore_errors=True)
