"""The warehouse resource: where files live and how DuckDB is opened (always closed again)."""

from collections.abc import Iterator
from contextlib import contextmanager

import dagster as dg
import duckdb

from orchestration.settings import WarehousePaths, duckdb_config, warehouse_paths


@contextmanager
def connect(path, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open a DuckDB file with the machine's settings (spilling to `<file>.tmp/`); the connection,
    and with it the file lock, is always released."""
    con = duckdb.connect(str(path), read_only=read_only, config=duckdb_config())
    try:
        yield con
    finally:
        con.close()


class WarehouseResource(dg.ConfigurableResource):
    """The writer's DuckDB file and the warehouse directories (from WAREHOUSE_DIR)."""

    def paths(self) -> WarehousePaths:
        return warehouse_paths()

    @contextmanager
    def connect(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """Read-write connection to warehouse.duckdb. Only Dagster steps and dbt open this file."""
        with connect(self.paths().warehouse_db) as con:
            yield con
