"""The warehouse resource: where files live and how DuckDB is opened (always closed again)."""

from collections.abc import Iterator
from contextlib import contextmanager

import dagster as dg
import duckdb

from orchestration.settings import WarehousePaths, duckdb_config, warehouse_paths


@contextmanager
def connect(path, read_only: bool = False, temp_directory=None) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open a DuckDB file with the machine's settings; the connection (and its lock) is always released."""
    config = duckdb_config() | ({"temp_directory": str(temp_directory)} if temp_directory else {})
    con = duckdb.connect(str(path), read_only=read_only, config=config)
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
        paths = self.paths()
        with connect(paths.warehouse_db, temp_directory=paths.temp) as con:
            yield con
