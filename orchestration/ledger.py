"""The warehouse's bookkeeping tables (schema `raw`), created, read and written here only.

raw._files          one row per loaded feed file (`LedgerRow`): what a refresh compares the files on disk with
raw._pending        months changed in raw and not yet built by dbt (month NULL: a whole feed that has no months);
                    a `request_full_rebuild()` row asks the next build to rebuild every model
raw._dbt_builds     every successful dbt build: the manifest it ran and its Dagster run
raw._build_window   the months the current dbt build recomputes in incremental models (a table, not a dbt var:
                    a var that changes on every build would make dbt re-parse the whole project each time)
raw._file_registry  the day the warehouse first saw a file's bytes: the vintage of a file nothing else dates
raw._duplicates     feed files not loaded because their content is already loaded from another file (same bytes, or
                    a release file whose every printed figure another loaded file holds): which file holds it
raw._partner_kinds  partner code -> country | group | world (from the seeds), joined by bulk-file scans
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import NamedTuple

import duckdb

from orchestration.database import transaction
from orchestration.files import sha256_of

FILES, PENDING, BUILDS, WINDOW = "raw._files", "raw._pending", "raw._dbt_builds", "raw._build_window"
REGISTRY, PARTNER_KINDS, DUPLICATES = "raw._file_registry", "raw._partner_kinds", "raw._duplicates"
_FULL_REBUILD = "*all feeds*"  # the `feed` of a pending row that asks for a full rebuild

_DDL = {
    FILES: """feed VARCHAR, path VARCHAR, source_file VARCHAR, size BIGINT, mtime_ns BIGINT, sha256 VARCHAR,
              file_format VARCHAR, bulk BOOLEAN, vintage DATE, rows BIGINT, months DATE[], loaded_at TIMESTAMP,
              PRIMARY KEY (feed, path)""",
    PENDING: "feed VARCHAR, month DATE, noted_at TIMESTAMP",
    BUILDS: "manifest_sha256 VARCHAR, built_at TIMESTAMP, run_id VARCHAR",
    WINDOW: "month DATE",
    REGISTRY: "sha256 VARCHAR PRIMARY KEY, first_seen DATE",
    PARTNER_KINDS: "code VARCHAR, kind VARCHAR",
    DUPLICATES: "feed VARCHAR, path VARCHAR, size BIGINT, mtime_ns BIGINT, sha256 VARCHAR, duplicate_of VARCHAR",
}


class LedgerOutdated(RuntimeError):
    """warehouse.duckdb was written by a version of the warehouse whose bookkeeping tables differ."""


class LedgerRow(NamedTuple):
    """One loaded file in raw._files."""

    feed: str
    path: str  # absolute path on disk
    source_file: str  # the name errors and the `source_file` column of raw rows use (repo-relative if inside)
    size: int
    mtime_ns: int
    sha256: str
    file_format: str
    bulk: bool  # read in place by DuckDB (parquet), not parsed into raw.<feed>__parsed
    vintage: date
    rows: int
    months: list[date]  # months the file holds (feeds with a month column; [] otherwise)
    loaded_at: datetime


_COLUMNS = ", ".join(LedgerRow._fields)
_IN_PATHS = "list_contains(?::VARCHAR[], path)"


def ensure_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Create the bookkeeping tables if missing; refuse tables of another layout with the fix."""
    con.execute("CREATE SCHEMA IF NOT EXISTS raw")
    for table, columns in _DDL.items():
        con.execute(f"CREATE TABLE IF NOT EXISTS {table} ({columns})")
    found = [
        c
        for (c,) in con.execute(
            "SELECT column_name FROM duckdb_columns() WHERE schema_name = 'raw' AND "
            "table_name = '_files' ORDER BY column_index"
        ).fetchall()
    ]
    if found != list(LedgerRow._fields):
        raise LedgerOutdated(
            f"{FILES} has columns {found}, this version expects {list(LedgerRow._fields)}: "
            "warehouse.duckdb was written by another version; remove it (make clean) and refresh"
        )


def refresh_partner_kinds(con: duckdb.DuckDBPyConnection, kinds: dict[str, str]) -> None:
    with transaction(con):
        con.execute(f"DELETE FROM {PARTNER_KINDS}")
        con.execute(
            f"INSERT INTO {PARTNER_KINDS} SELECT unnest(?::VARCHAR[]), unnest(?::VARCHAR[])",
            [list(kinds), list(kinds.values())],
        )


# raw._files ------------------------------------------------------------------------------------------------


def known_files(con: duckdb.DuckDBPyConnection, feed: str) -> dict[str, LedgerRow]:
    """path -> ledger row, for every file of `feed` loaded so far."""
    rows = con.execute(f"SELECT {_COLUMNS} FROM {FILES} WHERE feed = ?", [feed]).fetchall()
    return {r[1]: LedgerRow(*r) for r in rows}


class Changes(NamedTuple):
    """The files of a feed against the ledger."""

    new_or_changed: list[tuple[Path, str]]  # with their SHA-256
    unchanged: int  # loaded files not touched, and duplicates recorded before
    removed: list[str]  # paths in the ledger that are no longer on disk
    duplicates: list[tuple[Path, str]]  # new files with the bytes of a loaded (or loading) file: (file, its path)


class Duplicate(NamedTuple):
    """One file of raw._duplicates."""

    size: int
    mtime_ns: int
    sha256: str
    duplicate_of: str  # path of the file that holds its content


def known_duplicates(con: duckdb.DuckDBPyConnection, feed: str) -> dict[str, Duplicate]:
    rows = con.execute(f"SELECT path, size, mtime_ns, sha256, duplicate_of FROM {DUPLICATES} WHERE feed = ?", [feed])
    return {r[0]: Duplicate(*r[1:]) for r in rows.fetchall()}


def record_duplicate(con: duckdb.DuckDBPyConnection, feed: str, path: Path, sha256: str, duplicate_of: str) -> None:
    stat = path.stat()
    con.execute(f"DELETE FROM {DUPLICATES} WHERE feed = ? AND path = ?", [feed, str(path)])
    con.execute(
        f"INSERT INTO {DUPLICATES} VALUES (?, ?, ?, ?, ?, ?)",
        [feed, str(path), stat.st_size, stat.st_mtime_ns, sha256, duplicate_of],
    )


def forget_duplicates(con: duckdb.DuckDBPyConnection, feed: str, paths: list[str]) -> None:
    con.execute(f"DELETE FROM {DUPLICATES} WHERE feed = ? AND {_IN_PATHS}", [feed, paths])


def detect_changes(
    con: duckdb.DuckDBPyConnection, feed: str, files: list[Path], declared_vintage: Callable[[Path], date | None]
) -> Changes:
    """Compare `files` with the ledger. Same size and mtime: unchanged (not hashed). Touched but the same
    bytes: unchanged (the new mtime is noted). A file whose declared vintage changed is loaded again. A new file
    with the bytes of a file that stays loaded (or of one loaded now, earlier in `files`: samples come first) is not
    loaded: it is recorded in raw._duplicates, and loaded only once the file holding its content is gone."""
    known, dupes = known_files(con, feed), known_duplicates(con, feed)
    on_disk = {str(p) for p in files}
    holders: dict[str, str] = {}  # sha256 -> the path that holds those bytes after this load
    candidates, unchanged = [], 0
    for path in files:
        stat, previous = path.stat(), known.get(str(path))
        if previous is None or declared_vintage(path) not in (None, previous.vintage):
            candidates.append(path)
        elif (previous.size, previous.mtime_ns) == (stat.st_size, stat.st_mtime_ns):
            holders.setdefault(previous.sha256, str(path))
            unchanged += 1
        elif (sha256 := sha256_of(path)) == previous.sha256:
            con.execute(
                f"UPDATE {FILES} SET mtime_ns = ? WHERE feed = ? AND path = ?", [stat.st_mtime_ns, feed, str(path)]
            )
            holders.setdefault(sha256, str(path))
            unchanged += 1
        else:
            candidates.append(path)
    changed, duplicates = [], []
    for path in candidates:
        stat, dupe = path.stat(), dupes.get(str(path))
        same = dupe is not None and (dupe.size, dupe.mtime_ns) == (stat.st_size, stat.st_mtime_ns)
        sha256 = dupe.sha256 if same else sha256_of(path)
        if sha256 not in holders:
            holders[sha256] = str(path)
            changed.append((path, sha256))
            continue
        if same and dupe.duplicate_of == holders[sha256]:
            unchanged += 1  # recorded before, its holder still loaded
            continue
        record_duplicate(con, feed, path, sha256, holders[sha256])
        duplicates.append((path, holders[sha256]))
    forget_duplicates(con, feed, [p for p in dupes if p not in on_disk or p in {str(c) for c, _ in changed}])
    return Changes(changed, unchanged, sorted(p for p in known if p not in on_disk), duplicates)


def bulk_files(
    con: duckdb.DuckDBPyConnection, feed: str, file_format: str, months: list[date] | None = None
) -> list[LedgerRow]:
    """Bulk files of `file_format` in the ledger, by path; with `months`, only those holding one of them."""
    overlap = "" if months is None else "AND len(list_intersect(months, ?::DATE[])) > 0"
    rows = con.execute(
        f"SELECT {_COLUMNS} FROM {FILES} WHERE feed = ? AND file_format = ? AND bulk {overlap} ORDER BY path",
        [feed, file_format, *([months] if months is not None else [])],
    ).fetchall()
    return [LedgerRow(*r) for r in rows]


def months_of(con: duckdb.DuckDBPyConnection, feed: str, paths: list[str]) -> set[date]:
    """The months the ledger holds for these files (a removed file cannot be read again)."""
    rows = con.execute(f"SELECT DISTINCT unnest(months) FROM {FILES} WHERE feed = ? AND {_IN_PATHS}", [feed, paths])
    return {m for (m,) in rows.fetchall()}


def forget(con: duckdb.DuckDBPyConnection, feed: str, paths: list[str]) -> list[str]:
    """Remove these files from the ledger; returns their source_file names (to delete their parsed rows)."""
    names = con.execute(f"SELECT source_file FROM {FILES} WHERE feed = ? AND {_IN_PATHS}", [feed, paths]).fetchall()
    con.execute(f"DELETE FROM {FILES} WHERE feed = ? AND {_IN_PATHS}", [feed, paths])
    return [n for (n,) in names]


def forget_all(con: duckdb.DuckDBPyConnection) -> None:
    """Empty the ledger: the next load reads and validates every file again."""
    con.execute(f"DELETE FROM {FILES}")


def record(con: duckdb.DuckDBPyConnection, row: LedgerRow) -> None:
    con.execute(f"INSERT INTO {FILES} ({_COLUMNS}) VALUES ({', '.join('?' * len(LedgerRow._fields))})", list(row))


def feed_rows(con: duckdb.DuckDBPyConnection, feed: str) -> int:
    """Rows of `feed` in raw, as the ledger counts them."""
    return con.execute(f"SELECT coalesce(sum(rows), 0) FROM {FILES} WHERE feed = ?", [feed]).fetchone()[0]


# raw._file_registry ---------------------------------------------------------------------------------------


def first_seen(con: duckdb.DuckDBPyConnection, sha256: str, today: date) -> date:
    """The day these bytes were first seen (`today` the first time): the same file keeps its date."""
    con.execute(f"INSERT INTO {REGISTRY} VALUES (?, ?) ON CONFLICT DO NOTHING", [sha256, today])
    return con.execute(f"SELECT first_seen FROM {REGISTRY} WHERE sha256 = ?", [sha256]).fetchone()[0]


# raw._pending and raw._dbt_builds ----------------------------------------------------------------------------


def note_pending(con: duckdb.DuckDBPyConnection, feed: str, months: list[date] | None, noted_at: datetime) -> None:
    """Note that `feed` changed in raw: these months, or (None) the whole feed."""
    con.execute(
        f"INSERT INTO {PENDING} SELECT ?, unnest(?::DATE[]), ?", [feed, [None] if months is None else months, noted_at]
    )


def request_full_rebuild(con: duckdb.DuckDBPyConnection, noted_at: datetime) -> None:
    """Make the next dbt build rebuild every model (`--full-refresh`)."""
    note_pending(con, _FULL_REBUILD, None, noted_at)


@dataclass(frozen=True)
class BuildPlan:
    """What the next dbt build must do."""

    months: tuple[date, ...] = ()  # months the incremental models recompute
    feeds: tuple[str, ...] = ()  # feeds that changed: the models downstream of them are built
    full_rebuild: bool = False  # every model from scratch (`--full-refresh`)
    reasons: tuple[str, ...] = ()  # why dbt must run at all; empty: nothing changed since the published build

    @property
    def needed(self) -> bool:
        return bool(self.reasons)


def build_plan(con: duckdb.DuckDBPyConnection, manifest_sha256: str, published_run: str | None) -> BuildPlan:
    """The plan from raw._pending, the last build (its manifest and run) and the run whose build is published."""
    months = tuple(
        m for (m,) in con.execute(f"SELECT DISTINCT month FROM {PENDING} WHERE month IS NOT NULL ORDER BY 1").fetchall()
    )
    feeds = tuple(
        f
        for (f,) in con.execute(
            f"SELECT DISTINCT feed FROM {PENDING} WHERE feed <> ? ORDER BY 1", [_FULL_REBUILD]
        ).fetchall()
    )
    whole_feeds = [
        f
        for (f,) in con.execute(
            f"SELECT DISTINCT feed FROM {PENDING} WHERE month IS NULL AND feed <> ? ORDER BY 1", [_FULL_REBUILD]
        ).fetchall()
    ]
    full_requested = con.execute(f"SELECT count(*) FROM {PENDING} WHERE feed = ?", [_FULL_REBUILD]).fetchone()[0] > 0
    last = con.execute(f"SELECT manifest_sha256, run_id FROM {BUILDS} ORDER BY built_at DESC LIMIT 1").fetchone()
    project_changed = last is None or last[0] != manifest_sha256
    reasons = [
        *([f"{len(months)} month(s) changed"] if months else []),
        *([f"feed(s) changed: {', '.join(whole_feeds)}"] if whole_feeds else []),
        *(["full rebuild requested"] if full_requested else []),
        *(["no build yet" if last is None else "dbt project changed"] if project_changed else []),
        *(["the last build was not published"] if last is not None and last[1] != published_run else []),
    ]
    return BuildPlan(months, feeds, full_requested or project_changed, tuple(reasons))


def set_build_window(con: duckdb.DuckDBPyConnection, months: tuple[date, ...]) -> None:
    """The months the next dbt build's incremental models delete and insert (macro `refresh_months`)."""
    with transaction(con):
        con.execute(f"DELETE FROM {WINDOW}")
        con.execute(f"INSERT INTO {WINDOW} SELECT unnest(?::DATE[])", [list(months)])


def record_build(con: duckdb.DuckDBPyConnection, manifest_sha256: str, started: datetime, run_id: str) -> None:
    """A build that started at `started` succeeded: what was pending before it is built."""
    with transaction(con):
        con.execute(f"DELETE FROM {PENDING} WHERE noted_at <= ?", [started])
        con.execute(f"INSERT INTO {BUILDS} VALUES (?, ?, ?)", [manifest_sha256, started, run_id])
