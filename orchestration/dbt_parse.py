"""`python -m orchestration.dbt_parse`: write dbt_project/target/manifest.json.

It runs with the environment every refresh has (orchestration.settings sets WAREHOUSE_DIR and the
DuckDB settings, which are part of dbt's profile): a manifest parsed under another profile makes
dbt re-parse the whole project on every refresh (~3 s) instead of reusing it.
"""

import subprocess
import sys

from orchestration.settings import DBT_PROJECT_DIR, warehouse_paths


def parse_project() -> None:
    """`dbt parse` of dbt_project/ in a subprocess (the manifest Dagster builds its dbt assets from)."""
    warehouse_paths()  # exports WAREHOUSE_DIR: dbt's profile reads it
    subprocess.run([sys.executable, "-c", "from dbt.cli.main import cli; cli()", "parse", "--quiet",
                    "--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR)], check=True)


if __name__ == "__main__":
    parse_project()
