"""Opening DuckDB files: always with the machine's settings, always closed again (and with it the lock)."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from orchestration.settings import duckdb_config


@contextmanager
def connect(path: Path, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open a DuckDB file (spilling to `<file>.tmp/`); the connection, and the file lock, is always released."""
    con = duckdb.connect(str(path), read_only=read_only, config=duckdb_config())
    try:
        yield con
    finally:
        con.close()


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """BEGIN … COMMIT; anything raised inside rolls all of it back."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield con
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")
