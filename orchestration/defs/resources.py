"""The warehouse resource: the one door to the warehouse directory for assets, the sensor and the CLI."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
import duckdb

from orchestration.database import connect
from orchestration.settings import SAMPLE_DIR, WarehousePaths

# warehouse.duckdb has one writer at a time: every step that writes it runs in this pool (limit 1, dagster.yaml).
WRITER_POOL = "warehouse_writer"


class WarehouseResource(dg.ConfigurableResource):
    """The warehouse directory (`root`) and the shipped sample files read next to its landing files."""

    root: str
    sample_dir: str = str(SAMPLE_DIR)

    @classmethod
    def from_env(cls) -> "WarehouseResource":
        """From WAREHOUSE_DIR and WAREHOUSE_SAMPLE_DIR (see orchestration.settings)."""
        paths = WarehousePaths.from_env()
        return cls(root=str(paths.root), sample_dir=str(paths.sample))

    def paths(self) -> WarehousePaths:
        return WarehousePaths(Path(self.root), Path(self.sample_dir))

    @contextmanager
    def connect(self, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        """A connection to warehouse.duckdb (read-write by default). Only Dagster steps and dbt open this file."""
        paths = self.paths().ensure()
        with connect(paths.warehouse_db, read_only=read_only) as con:
            yield con
