"""The warehouse resource: the one door to the warehouse directory for assets, the sensor and the CLI."""

import contextlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
import duckdb

from orchestration.database import connect
from orchestration.settings import SAMPLE_DIR, WarehousePaths
from orchestration.writer_lock import writer_lock

# warehouse.duckdb has one writer at a time: every step that writes it runs in this pool (limit 1, dagster.yaml).
WRITER_POOL = "warehouse_writer"


class WarehouseResource(dg.ConfigurableResource):
    """The warehouse directory (`root`) and the shipped sample files read next to its landing files."""

    root: str
    sample_dir: str = str(SAMPLE_DIR)

    @classmethod
    def from_env(cls) -> "WarehouseResource":
        """From WAREHOUSE_DIR and WAREHOUSE_SAMPLE_DIR (see orchestration.settings)."""
        return cls.at(WarehousePaths.from_env())

    @classmethod
    def at(cls, paths: WarehousePaths) -> "WarehouseResource":
        return cls(root=str(paths.root), sample_dir=str(paths.sample))

    def paths(self) -> WarehousePaths:
        return WarehousePaths(Path(self.root), Path(self.sample_dir))

    def writer(self):
        """The writer lock for a step that writes warehouse.duckdb (orchestration.writer_lock)."""
        return writer_lock(self.paths())

    @contextmanager
    def connect(self, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        """A connection to warehouse.duckdb (read-write by default, under the writer lock: another writing
        process makes this raise WriterBusy). Only Dagster steps and dbt open this file."""
        paths = self.paths().ensure()
        with contextlib.ExitStack() as stack:
            if not read_only:
                stack.enter_context(writer_lock(paths))
            yield stack.enter_context(connect(paths.warehouse_db, read_only=read_only))
