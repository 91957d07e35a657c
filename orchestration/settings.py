"""Where things are, and the environment the tools the warehouse starts (dbt, GX) need.

Everything the warehouse writes lives under one directory (WAREHOUSE_DIR, default `<repo>/warehouse`):
  warehouse.duckdb   the writer's file (Dagster + dbt); never opened by BI tools
  serving.duckdb     the published, read-only file BI tools open
  landing/<feed>/    drop new feed files here; the sensor picks them up
  quarantine/<feed>/ landing files a gate rejected, each with a `.reason.json`
  responses/<api>/   raw bodies of live API calls (`python -m orchestration.cli fetch …`)
  last_refresh.log   the full log of the last `python -m orchestration.cli refresh`
  reports/           charts (PNG, SVG) and index.html, rendered from serving.duckdb after each publication
  dagster_home/      the Dagster instance of `make run` / `make dev` (DAGSTER_HOME, set by the Makefile)

Nothing here writes the process environment at import time: `WarehousePaths.from_env()` only reads it,
and `export_for_dbt()` is called right before a dbt subprocess starts.
"""

import os
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"
DBT_MANIFEST = DBT_PROJECT_DIR / "target" / "manifest.json"  # what `dbt parse` writes (DbtProject.manifest_path)
EXPECTATIONS_DIR = REPO_ROOT / "expectations"
SAMPLE_DIR = REPO_ROOT / "data" / "sample"
SEEDS_DIR = DBT_PROJECT_DIR / "seeds"

# The tools' anonymous usage reporting, off (Dagster's own is off in orchestration/dagster.yaml).
TELEMETRY_OFF = {"DBT_SEND_ANONYMOUS_USAGE_STATS": "false", "DO_NOT_TRACK": "1", "GX_ANALYTICS_ENABLED": "false"}


@dataclass(frozen=True)
class WarehousePaths:
    """The warehouse directory and the shipped sample directory it reads next to its landing files."""

    root: Path
    sample: Path = SAMPLE_DIR

    @classmethod
    def from_env(cls) -> "WarehousePaths":
        """WAREHOUSE_DIR (default `<repo>/warehouse`) and WAREHOUSE_SAMPLE_DIR (default `data/sample`)."""
        root = os.environ.get("WAREHOUSE_DIR") or REPO_ROOT / "warehouse"
        sample = os.environ.get("WAREHOUSE_SAMPLE_DIR") or SAMPLE_DIR
        return cls(Path(root).resolve(), Path(sample).resolve())

    def ensure(self) -> "WarehousePaths":
        """Create the warehouse and landing directories (idempotent)."""
        self.landing.mkdir(parents=True, exist_ok=True)
        return self

    @property
    def warehouse_db(self) -> Path:
        return self.root / "warehouse.duckdb"

    @property
    def serving_db(self) -> Path:
        return self.root / "serving.duckdb"

    @property
    def landing(self) -> Path:
        return self.root / "landing"

    @property
    def quarantine(self) -> Path:
        return self.root / "quarantine"

    @property
    def responses(self) -> Path:
        """Raw bodies of every live API response, kept for inspection (connectors only)."""
        return self.root / "responses"

    @property
    def reports(self) -> Path:
        """Charts and the report page (orchestration/reports), rendered from serving.duckdb."""
        return self.root / "reports"

    @property
    def refresh_log(self) -> Path:
        return self.root / "last_refresh.log"


# DuckDB's buffer limit per process (Python, then dbt). 2 GB keeps a 200M-row refresh under 3 GB of resident
# memory in all (aggregations spill next to the database), for +2 % of time: 182.5 s and 2.46 GB against
# 178.3 s and 8.65 GB at 40 % of RAM (docs/benchmarks.md). Raise it with DUCKDB_MEMORY_LIMIT on a big machine.
DEFAULT_MEMORY_LIMIT = "2GB"


def duckdb_config() -> dict[str, str]:
    """DuckDB settings sized for the machine; DUCKDB_THREADS / DUCKDB_MEMORY_LIMIT override them."""
    return {
        "threads": os.environ.get("DUCKDB_THREADS") or str(os.cpu_count() or 2),
        "memory_limit": os.environ.get("DUCKDB_MEMORY_LIMIT") or DEFAULT_MEMORY_LIMIT,
        "preserve_insertion_order": "false",
    }


def dbt_environment(paths: WarehousePaths) -> dict[str, str]:
    """What dbt_project/profiles.yml reads (the writer's file, DuckDB's settings) plus telemetry off."""
    config = duckdb_config()
    return {
        "WAREHOUSE_DIR": str(paths.root),
        "DUCKDB_THREADS": config["threads"],
        "DUCKDB_MEMORY_LIMIT": config["memory_limit"],
        **TELEMETRY_OFF,
    }


def export_for_dbt(paths: WarehousePaths) -> None:
    """Export dbt_environment(paths) to this process, right before it starts dbt: dbt subprocesses
    (dagster-dbt passes os.environ on) then write the same file with the same settings as Python."""
    os.environ.update(dbt_environment(paths))
