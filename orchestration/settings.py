"""Paths and DuckDB settings shared by Dagster, dbt and the CLI.

Everything the warehouse writes lives under WAREHOUSE_DIR (default `<repo>/warehouse`):
  warehouse.duckdb   the writer's file (Dagster + dbt); never opened by BI tools
  serving.duckdb     the published, read-only file BI tools open
  landing/<feed>/    drop new feed files here; the sensor picks them up
  responses/<api>/   raw bodies of live API calls (`python -m orchestration.cli fetch …`)
"""

import os
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"
EXPECTATIONS_DIR = REPO_ROOT / "expectations"
SAMPLE_DIR = REPO_ROOT / "data" / "sample"
SEEDS_DIR = DBT_PROJECT_DIR / "seeds"


@dataclass(frozen=True)
class WarehousePaths:
    root: Path

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
    def responses(self) -> Path:
        """Raw bodies of every live API response, kept for inspection (connectors only)."""
        return self.root / "responses"

    @property
    def sample(self) -> Path:
        """Shipped feed files (read-only input); WAREHOUSE_SAMPLE_DIR points elsewhere (bench, tests)."""
        return Path(os.environ.get("WAREHOUSE_SAMPLE_DIR", SAMPLE_DIR)).resolve()


def warehouse_paths() -> WarehousePaths:
    """The warehouse directory from WAREHOUSE_DIR, created on first use."""
    root = Path(os.environ.get("WAREHOUSE_DIR", REPO_ROOT / "warehouse")).resolve()
    os.environ["WAREHOUSE_DIR"] = str(root)  # dbt subprocesses must write the same file
    paths = WarehousePaths(root)
    for d in (root, paths.landing):
        d.mkdir(parents=True, exist_ok=True)
    return paths


def _default_memory_limit() -> str:
    """40 % of the machine's memory (at least 2 GB): room for the pandas side next to DuckDB."""
    total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    return f"{max(2, int(total * 0.4 / 2**30))}GB"


# Exported so dbt subprocesses (dbt_project/profiles.yml) use the same settings as Python.
os.environ.setdefault("DUCKDB_THREADS", str(os.cpu_count() or 2))
os.environ.setdefault("DUCKDB_MEMORY_LIMIT", _default_memory_limit())


def duckdb_config() -> dict[str, str]:
    """DuckDB settings sized for the machine (override with DUCKDB_THREADS / DUCKDB_MEMORY_LIMIT)."""
    return {
        "threads": os.environ["DUCKDB_THREADS"],
        "memory_limit": os.environ["DUCKDB_MEMORY_LIMIT"],
        "preserve_insertion_order": "false",
    }
