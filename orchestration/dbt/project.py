"""The dbt project and its manifest: `python -m orchestration.dbt.project` (what `make` runs) parses it.

The manifest is parsed under the environment every refresh has (`settings.dbt_environment`: the writer's
file and DuckDB's settings are part of dbt's profile): a manifest parsed under another profile makes dbt
re-parse the whole project on every refresh (~3 s) instead of reusing it.
"""

import hashlib
import json
import subprocess
import sys
from functools import cache

from dagster_dbt import DbtProject
from dagster_dbt.dbt_project import using_dagster_dev

from orchestration.settings import DBT_PROJECT_DIR, WarehousePaths, export_for_dbt

DBT_PROJECT = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)


def prepare(paths: WarehousePaths) -> None:
    """`dbt parse` in a subprocess: writes the manifest Dagster builds its dbt assets from."""
    export_for_dbt(paths)
    subprocess.run(
        [
            sys.executable,
            "-c",
            "from dbt.cli.main import cli; cli()",
            "parse",
            "--quiet",
            "--project-dir",
            str(DBT_PROJECT_DIR),
            "--profiles-dir",
            str(DBT_PROJECT_DIR),
        ],
        check=True,
    )


def prepare_if_dev() -> None:
    """Parse when the manifest is missing (a fresh clone), and always under `dagster dev` / `dg dev`, so the
    UI never shows or runs a stale project; elsewhere `make` parses it when a dbt file changes."""
    if using_dagster_dev() or not DBT_PROJECT.manifest_path.exists():
        prepare(WarehousePaths.from_env())


@cache
def manifest() -> dict:
    """The parsed manifest (prepared first if needed)."""
    prepare_if_dev()
    return json.loads(DBT_PROJECT.manifest_path.read_text(encoding="utf-8"))


def manifest_sha256() -> str:
    """Identifies the dbt project a build ran: a changed project means a full rebuild."""
    return hashlib.sha256(DBT_PROJECT.manifest_path.read_bytes()).hexdigest()


def mart_models() -> dict[str, dict]:
    """Mart name -> manifest node (the models published to serving.duckdb)."""
    return {
        n["name"]: n for n in manifest()["nodes"].values() if n["resource_type"] == "model" and n["fqn"][1] == "marts"
    }


if __name__ == "__main__":
    prepare(WarehousePaths.from_env())
