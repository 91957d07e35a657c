"""Publish the marts to serving.duckdb, the only file BI tools open.

The file is built next to the published one (`serving.duckdb.next`, a copy of it in which only the changed
marts are replaced), checked, then swapped in with os.replace(): readers holding the old file keep reading it,
new connections see the new one.
"""

import json
import os
import shutil
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from orchestration.database import connect
from orchestration.settings import WarehousePaths
from orchestration.sql import literal

SERVING_SCHEMA = "marts"
# DuckDB storage format of serving.duckdb, pinned so that BI clients on any DuckDB 1.x keep reading the file
# when the writer's DuckDB is upgraded (DuckDB 2.0 writes, by default, a format no 1.x release reads).
# The marts hold only BIGINT, INTEGER, DOUBLE, BOOLEAN, DATE, TIMESTAMP and VARCHAR columns and comments, which
# every storage version stores; v1.0.0 is the oldest 1.x format (files written as v1.1.0 already fail on
# DuckDB 1.0). tests/test_bi_connections.py checks the file's format and the marts' types.
SERVING_STORAGE_VERSION = "v1.0.0"
PUBLICATION_TABLE = "_publication"
PUBLICATION_COLUMNS = {
    "publication_id": "Identifier of this publication (a UUID, new on every refresh).",
    "published_at": "UTC time the publication was swapped in.",
    "dagster_run_id": "The Dagster run that produced it.",
    "row_counts": "JSON: rows per mart in this publication.",
    "checksums": "JSON: content checksum per mart (orchestration.serving.mart_checksum); same inputs, same sums.",
}


@dataclass
class Publication:
    publication_id: str
    published_at: datetime
    path: Path
    row_counts: dict[str, int]
    checksums: dict[str, str]
    copied: list[str]  # marts copied from the warehouse; the others were unchanged and kept


def mart_checksum(con: duckdb.DuckDBPyConnection, name: str, catalog: str | None = None) -> str:
    """Order-independent checksum of mart `name` (schema `marts`). Doubles enter with 9 significant
    digits, so the last-bit noise of parallel float sums does not change it; a real change does."""
    columns = _columns(con, catalog, name)
    terms = ", ".join(f"printf('%.9g', \"{c}\")" if t == "DOUBLE" else f'"{c}"' for c, t in columns)
    table = ".".join(filter(None, [catalog, SERVING_SCHEMA, name]))
    count, total = con.execute(f"SELECT count(*), coalesce(sum(hash({terms})), 0) FROM {table}").fetchone()
    return f"{count}:{total}"


def _comment(text: str | None) -> str:
    return literal((text or "").strip())


def may_be_empty(node: dict) -> str | None:
    """Why mart `node` (a dbt manifest node) may be published empty: its YAML's `config.meta.may_be_empty` (e.g. a
    mart of published releases in a warehouse fed by statistics alone), or None: then an empty mart is an error."""
    return (node.get("config", {}).get("meta", {}) | node.get("meta", {})).get("may_be_empty")


def publish(
    con: duckdb.DuckDBPyConnection, paths: WarehousePaths, marts: dict[str, dict], run_id: str = ""
) -> Publication:
    """Publish every mart (with its dbt descriptions) to a new serving file and swap it in.

    The new file starts as a copy of the published one, and only the marts whose content checksum changed
    are copied from the warehouse again (`Publication.copied`); without a usable published file every mart
    is. `con` is the writer's connection to warehouse.duckdb; `marts` maps mart name -> dbt manifest node.
    Raises before the swap if a mart is missing, or empty unless its YAML says why it may be (`may_be_empty`); the
    published file is then untouched.
    """
    target, staging = paths.serving_db, paths.serving_db.with_name(paths.serving_db.name + ".next")
    for stale in (staging, staging.with_name(staging.name + ".wal")):
        stale.unlink(missing_ok=True)
    publication_id, published_at = str(uuid.uuid4()), datetime.now(UTC).replace(tzinfo=None)
    checksums = {name: mart_checksum(con, name) for name in sorted(marts)}  # the writer's marts
    published = _published_checksums(target)
    if published:
        shutil.copyfile(target, staging)
        attach = f"ATTACH {literal(staging.as_posix())} AS serving"
    else:
        attach = f"ATTACH {literal(staging.as_posix())} AS serving (STORAGE_VERSION {literal(SERVING_STORAGE_VERSION)})"
    con.execute(attach)
    try:
        con.execute(f"CREATE SCHEMA IF NOT EXISTS serving.{SERVING_SCHEMA}")
        kept = {
            name
            for name in marts
            if published.get(name) == checksums[name] and _columns(con, "serving", name) == _columns(con, None, name)
        }
        for (old,) in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = 'serving' AND schema_name = ?",
            [SERVING_SCHEMA],
        ).fetchall():
            if old not in kept:  # dropped, changed (content or columns), or _publication
                con.execute(f"DROP TABLE serving.{SERVING_SCHEMA}.{old}")
        copied = [name for name in sorted(marts) if name not in kept]
        row_counts = {}
        for name, node in sorted(marts.items()):
            table = f"serving.{SERVING_SCHEMA}.{name}"
            if name in copied:
                con.execute(f"CREATE TABLE {table} AS SELECT * FROM {node['schema']}.{name}")
            row_counts[name] = int(checksums[name].split(":")[0])
            if row_counts[name] == 0 and not may_be_empty(node):
                raise RuntimeError(f"mart {name} is empty: not publishing")
            con.execute(f"COMMENT ON TABLE {table} IS {_comment(node.get('description', ''))}")
            for column, meta in node.get("columns", {}).items():
                con.execute(f"COMMENT ON COLUMN {table}.{column} IS {_comment(meta.get('description', ''))}")
        con.execute(
            f"""CREATE TABLE serving.{SERVING_SCHEMA}.{PUBLICATION_TABLE} AS SELECT
            ? AS publication_id, ? AS published_at, ? AS dagster_run_id, ? AS row_counts, ? AS checksums""",
            [publication_id, published_at, run_id, json.dumps(row_counts), json.dumps(checksums)],
        )
        publication = f"serving.{SERVING_SCHEMA}.{PUBLICATION_TABLE}"
        con.execute(f"COMMENT ON TABLE {publication} IS 'One row: the publication these marts belong to.'")
        for column, description in PUBLICATION_COLUMNS.items():
            con.execute(f"COMMENT ON COLUMN {publication}.{column} IS {_comment(description)}")
    finally:
        con.execute("DETACH serving")
    with connect(staging, read_only=True) as check:  # the new file opens cleanly on its own
        served = {name: mart_checksum(check, name) for name in copied}
    if served != {name: checksums[name] for name in copied}:
        raise RuntimeError(f"serving copy differs from the warehouse's marts: {sorted(served)}: not publishing")
    os.chmod(staging, 0o444)  # BI users open it read-only; nobody writes a published file
    _fsync(staging)
    os.replace(staging, target)
    _fsync(target.parent)
    return Publication(publication_id, published_at, target, row_counts, checksums, copied)


def _columns(con: duckdb.DuckDBPyConnection, catalog: str | None, name: str) -> list[tuple[str, str]]:
    """(name, type) of each column of mart `name` in `catalog` (None: the writer's database)."""
    return con.execute(
        """SELECT column_name, data_type FROM duckdb_columns()
        WHERE database_name = coalesce(?, current_database()) AND schema_name = ? AND table_name = ?
        ORDER BY column_index""",
        [catalog, SERVING_SCHEMA, name],
    ).fetchall()


def _published_checksums(target: Path) -> dict[str, str]:
    """Mart -> checksum of the published file ({} if there is none, or it cannot be read: copy everything)."""
    if not target.exists():
        return {}
    try:
        with connect(target, read_only=True) as con:
            row = con.execute(f"SELECT checksums FROM {SERVING_SCHEMA}.{PUBLICATION_TABLE}").fetchone()
        return json.loads(row[0])
    except (duckdb.Error, TypeError, ValueError):
        return {}


def published_run(paths: WarehousePaths) -> str | None:
    """The Dagster run whose build serving.duckdb holds (None if nothing is published)."""
    if not paths.serving_db.exists():
        return None
    with connect(paths.serving_db, read_only=True) as con:
        return con.execute(f"SELECT dagster_run_id FROM {SERVING_SCHEMA}.{PUBLICATION_TABLE}").fetchone()[0]


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
