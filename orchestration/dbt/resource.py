"""The dbt CLI resource: dagster-dbt's, minus two fixed costs per run (~3.5 s) this project does not need.

Both are private hooks of dagster-dbt, overridden here only; dagster-dbt is pinned (pyproject.toml,
0.29.27) and tests/dbt/test_resource.py fails if an upgrade moves them or breaks a real `dbt parse`:
- `_cli_version`: dagster-dbt runs `dbt --version` in a subprocess on every run; the dbt-core of this
  venv is the one that runs, so its package version is the answer.
- `_initialize_dbt_core_adapter`: dagster-dbt builds an in-process dbt adapter on every run, used only by
  `fetch_row_counts()` / `fetch_column_metadata()`. Returning None disables those two helpers; this project
  does not call them (row counts come from the publication instead).
"""

import importlib.metadata
import sys
from functools import cached_property
from pathlib import Path

from dagster_dbt import DbtCliResource
from packaging import version

from orchestration.dbt.project import DBT_PROJECT


class WarehouseDbtCli(DbtCliResource):
    @cached_property
    def _cli_version(self) -> version.Version:
        return version.parse(importlib.metadata.version("dbt-core"))

    def _initialize_dbt_core_adapter(self, args):
        return None


def dbt_resource() -> WarehouseDbtCli:
    """The dbt next to this interpreter (the project's venv), whatever PATH says."""
    return WarehouseDbtCli(project_dir=DBT_PROJECT, dbt_executable=str(Path(sys.executable).parent / "dbt"))
