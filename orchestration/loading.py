"""The one loader every raw feed goes through: only what changed, gated, promoted in one transaction.

`raw.<feed>` is a view over `raw.<feed>__parsed` (rows of the files parsed in Python: wide CSV, XLSX,
XML, …) and the bulk files DuckDB reads in place (the parquet long form: never copied). `raw._files`
records every loaded file (path, size, mtime, SHA-256, vintage, rows). A refresh of a feed:
1. compares the feed's files (shipped sample + landing directory) with `raw._files`; unchanged files
   are not read again, and with nothing changed the refresh of the feed ends here;
2. parses each new or changed file and validates it with the feed's GX suite (expectations/<feed>.json):
   GX on the parsed frame, or for a bulk file the same suite compiled to SQL, per month partition;
3. in one transaction: replaces the rows of changed and removed files, re-creates the view, runs the
   feed's table-wide SQL rules on the partitions (months) that changed, and notes those partitions in
   `raw._pending` for dbt. A failure rolls all of it back and raises `FeedRejected`: `raw.<feed>` and
   everything downstream stay as they were.
"""

import hashlib
import os
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pandas as pd

from orchestration.feeds.readers import display_name, read_table
from orchestration.feeds.reference import partner_kinds
from orchestration.feeds.spec import FeedError, FeedSpec, FileFormat
from orchestration.settings import SAMPLE_DIR, WarehousePaths
from orchestration.validation.gx_suites import validate_file
from orchestration.validation.suite_sql import sql_literal, validate_relation
from orchestration.vintages import declared_vintage, file_vintage

IGNORED_SUFFIXES = (".part", ".tmp", ".crdownload")  # files still being written


class FeedRejected(Exception):
    """A feed failed its gate; `errors` lists every file, rule and row that failed."""

    def __init__(self, feed: str, stage: str, errors: list[FeedError]):
        self.feed, self.stage, self.errors = feed, stage, errors
        lines = "\n".join(f"  - {e}" for e in errors)
        super().__init__(f"raw/{feed} rejected ({stage}), nothing promoted:\n{lines}")


LEDGER = "raw._files"
PENDING = "raw._pending"


@dataclass
class FileLoad:
    """One new or changed file, parsed and validated (`frame` is None for a bulk file read in place)."""

    path: Path
    display: str
    file_format: FileFormat
    rows: int
    sha256: str
    frame: pd.DataFrame | None = None
    partitions: list[date] = field(default_factory=list)  # months of a partitioned feed


@dataclass
class FeedLoad:
    """What one refresh of a feed did."""

    spec: FeedSpec
    files: list[FileLoad] = field(default_factory=list)  # loaded this time
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)
    partitions: list[date] | None = None  # months that changed; None: the whole feed (not partitioned)
    expectations_evaluated: int = 0
    rows: int = 0  # rows in raw.<feed> after the load

    @property
    def changed(self) -> bool:
        return bool(self.files or self.removed)


def feed_files(spec: FeedSpec, paths: WarehousePaths) -> list[Path]:
    """Files of a feed: shipped samples first, then the landing directory (sorted by name)."""
    found = []
    for directory in (paths.sample / spec.name, paths.landing / spec.name):
        if directory.is_dir():
            found += sorted(p for p in directory.iterdir() if p.is_file() and not p.name.startswith(".")
                            and not p.name.endswith(IGNORED_SUFFIXES))
    return found


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def parse_file(spec: FeedSpec, path: Path) -> tuple[FileFormat, pd.DataFrame | None]:
    """Recognize the file's format (by suffix and header) and parse it to the feed's normalized frame
    (None for a bulk format, which DuckDB reads in place)."""
    name = display_name(path)
    if path.is_symlink():
        raise FeedError(name, "feed file is a regular file, not a link", f"points to {os.readlink(path)}")
    candidates = [f for f in spec.formats if path.suffix.lower() in f.suffixes]
    if not candidates:
        suffixes = sorted({s for f in spec.formats for s in f.suffixes})
        raise FeedError(name, "file type is accepted", f"got '{path.suffix}', expected one of {suffixes}")
    if path.stat().st_size == 0:
        raise FeedError(name, "file is not empty", "0 bytes")
    tabular = [f for f in candidates if f.signature]
    if not tabular:
        fmt = candidates[0]
        return fmt, fmt.parse(path, None)
    if path.suffix.lower() == ".parquet":  # read the schema and row count, not the rows
        frame = None
        header = [r[0] for r in duckdb.sql(f"DESCRIBE SELECT * FROM read_parquet({sql_literal(path)})").fetchall()]
        rows = duckdb.sql(f"SELECT sum(num_rows) FROM parquet_file_metadata({sql_literal(path)})").fetchone()[0]
    else:
        frame = read_table(path)
        header, rows = list(frame.columns), len(frame)
    if not header or not rows:
        raise FeedError(name, "file has data rows", f"header only: {header}")
    header = set(header)
    fmt = next((f for f in tabular if f.signature <= header), None)
    if fmt is None:
        expected = "; ".join(f"{f.name}: {sorted(f.required or f.signature)}" for f in tabular)
        raise FeedError(name, "header matches a known format",
                        f"columns {sorted(header)}; expected {expected}")
    missing = [c for c in (fmt.required or fmt.signature) if c not in header]
    if missing:
        raise FeedError(name, f"{fmt.name} has all required columns", f"missing column(s) {missing}")
    if fmt.scan:
        return fmt, None
    return fmt, fmt.parse(path, read_table(path) if frame is None else frame)


def _sql_list(paths) -> str:
    return "[" + ", ".join(sql_literal(p) for p in paths) + "]"


def prepare_warehouse(spec: FeedSpec, con: duckdb.DuckDBPyConnection) -> None:
    """Create the ledger, the pending list and the feed's parsed table; refresh the partner codes."""
    con.execute("CREATE SCHEMA IF NOT EXISTS raw")
    con.execute(f"""CREATE TABLE IF NOT EXISTS {LEDGER} (feed VARCHAR, path VARCHAR, file VARCHAR, size BIGINT,
        mtime_ns BIGINT, sha256 VARCHAR, file_format VARCHAR, bulk BOOLEAN, vintage DATE, rows BIGINT,
        months DATE[], loaded_at TIMESTAMP, PRIMARY KEY (feed, path))""")
    create_pending_table(con)
    con.register("kinds", pd.DataFrame(list(partner_kinds().items()), columns=["code", "kind"]))
    con.execute("CREATE OR REPLACE TABLE raw._partner_kinds AS SELECT * FROM kinds")
    con.unregister("kinds")
    kind = con.execute("SELECT table_type FROM information_schema.tables WHERE table_schema = 'raw' "
                       "AND table_name = ?", [spec.name]).fetchone()
    if kind and kind[0] == "BASE TABLE":  # a warehouse from before the ledger: load every file again
        con.execute(f"DROP TABLE raw.{spec.name}")
        con.execute(f"DELETE FROM {LEDGER} WHERE feed = ?", [spec.name])
    columns = ", ".join(f"{name} {kind}" for name, kind in spec.table_columns.items())
    con.execute(f"CREATE TABLE IF NOT EXISTS {parsed_table(spec)} ({columns})")


def create_pending_table(con: duckdb.DuckDBPyConnection) -> None:
    """`raw._pending`: months (or, with period NULL, whole feeds) changed in raw and not yet built by dbt."""
    con.execute("CREATE SCHEMA IF NOT EXISTS raw")
    con.execute(f"CREATE TABLE IF NOT EXISTS {PENDING} (feed VARCHAR, period DATE, noted_at TIMESTAMP)")


def forget_files(con: duckdb.DuckDBPyConnection) -> None:
    """Empty the ledger and the parsed rows: the next load reads and validates every file again."""
    for (table,) in con.execute("SELECT table_name FROM duckdb_tables() WHERE schema_name = 'raw' AND "
                                "(table_name = '_files' OR table_name LIKE '%\\_\\_parsed' ESCAPE '\\')").fetchall():
        con.execute(f"DELETE FROM raw.{table}")


def parsed_table(spec: FeedSpec) -> str:
    """Where the rows of a feed's files parsed in Python are kept."""
    return f"raw.{spec.name}__parsed"


def _changes(spec: FeedSpec, files: list[Path], sample_dir: Path,
             con: duckdb.DuckDBPyConnection) -> tuple[list[tuple[Path, str]], int, list[str]]:
    """(new or changed files with their SHA-256, unchanged count, removed paths) against the ledger."""
    known = {r[0]: r[1:] for r in con.execute(
        f"SELECT path, size, mtime_ns, sha256, vintage FROM {LEDGER} WHERE feed = ?", [spec.name]).fetchall()}
    changed, unchanged = [], 0
    for path in files:
        stat, previous = path.stat(), known.get(str(path))
        declared = declared_vintage(spec.name, path, sample_dir)
        if previous and declared not in (None, previous[3]):  # vintages.csv or the name now says otherwise
            changed.append((path, sha256_of(path)))
        elif previous and (previous[0], previous[1]) == (stat.st_size, stat.st_mtime_ns):
            unchanged += 1
        elif previous and (sha := sha256_of(path)) == previous[2]:  # touched, same bytes
            con.execute(f"UPDATE {LEDGER} SET mtime_ns = ? WHERE feed = ? AND path = ?",
                        [stat.st_mtime_ns, spec.name, str(path)])
            unchanged += 1
        else:
            changed.append((path, sha if previous else sha256_of(path)))
    on_disk = {str(p) for p in files}
    return changed, unchanged, sorted(p for p in known if p not in on_disk)


def _month_start(month: str) -> date:
    """'YYYY-MM' (a partition of a validated file) -> its first day."""
    return date.fromisoformat(month + "-01")


def _validate(spec: FeedSpec, path: Path, sha256: str, con: duckdb.DuckDBPyConnection,
              load: FeedLoad) -> tuple[FileLoad | None, list[FeedError]]:
    """Parse one file and run the feed's suite on it: GX on a parsed frame, SQL on a bulk file."""
    name = display_name(path)
    try:
        fmt, frame = parse_file(spec, path)
    except FeedError as exc:
        return None, [exc]
    if frame is not None:
        evaluated, failures = validate_file(spec.name, frame, name)
        rows = len(frame)
        months = frame[spec.partition_column].dropna().unique() if spec.partition_column else []
    else:
        run = validate_relation(spec.name, fmt.scan(_sql_list([path])), name, spec.partition_column, con)
        evaluated, failures, rows, months = run.evaluated, run.failures, sum(run.partitions.values()), run.partitions
    partitions = [] if failures else sorted(_month_start(m) for m in months)  # months are valid once it passed
    file = FileLoad(path, name, fmt, rows, sha256, frame, partitions)
    load.expectations_evaluated += evaluated
    return file, failures


def _bulk_sql(spec: FeedSpec, fmt: FileFormat, files: list[tuple]) -> str:
    """The rows of bulk files, read in place and typed; each file's lineage (ledger rows `files`: path,
    file, vintage, sha256, loaded_at) enters as constants, not as a join on every row."""
    return "\nUNION ALL\n".join(
        f"""SELECT * FROM (SELECT {spec.select}, DATE '{vintage}', {sql_literal(file)}, f.source_row,
            '{sha256}', TIMESTAMP '{loaded_at}' FROM ({fmt.scan(_sql_list([path]))}) AS f)
            AS b({', '.join(spec.table_columns)})"""
        for path, file, vintage, sha256, loaded_at, *_ in files)


def _bulk_files(spec: FeedSpec, fmt: FileFormat, con: duckdb.DuckDBPyConnection,
                months: list[date] | None = None) -> list[tuple]:
    """Ledger rows (path, file, vintage, sha256, loaded_at, months) of the bulk files of `fmt`; with
    `months`, only the files holding one of them."""
    overlap = "" if months is None else "AND len(list_intersect(months, ?::DATE[])) > 0"
    return con.execute(f"SELECT path, file, vintage, sha256, loaded_at, months FROM {LEDGER} WHERE feed = ? "
                       f"AND file_format = ? {overlap} ORDER BY path",
                       [spec.name, fmt.name, *([months] if months else [])]).fetchall()


def _view_sql(spec: FeedSpec, con: duckdb.DuckDBPyConnection) -> str:
    """`raw.<feed>`: the parsed rows plus every bulk file in the ledger, read in place."""
    parts = [f"SELECT * FROM {parsed_table(spec)}"]
    parts += [_bulk_sql(spec, fmt, paths) for fmt in spec.formats
              if fmt.scan and (paths := _bulk_files(spec, fmt, con))]
    return f"CREATE OR REPLACE VIEW raw.{spec.name} AS " + "\nUNION ALL\n".join(parts)


def window_sql(spec: FeedSpec, months: list[date], con: duckdb.DuckDBPyConnection) -> str:
    """The rows of `months` of a partitioned feed, reading only the bulk files that hold one of them
    (the ledger knows each file's months): what table rules and incremental models look at."""
    if not months:
        return f"SELECT * FROM {parsed_table(spec)} WHERE false"
    keep = f"WHERE {spec.partition_column} IN ({', '.join(f'DATE {sql_literal(m)}' for m in months)})"
    parts = [f"SELECT * FROM {parsed_table(spec)} {keep}"]
    for fmt in (f for f in spec.formats if f.scan):
        for file in _bulk_files(spec, fmt, con, months):  # a file wholly inside the window needs no filter
            parts.append(f"SELECT * FROM ({_bulk_sql(spec, fmt, [file])})" + ("" if set(file[5]) <= set(months)
                                                                             else f" {keep}"))
    return "\nUNION ALL\n".join(parts)


def create_window_view(spec: FeedSpec, months: list[date], con: duckdb.DuckDBPyConnection) -> None:
    """`raw.<feed>__window`: the months an incremental dbt build recomputes (see window_sql)."""
    con.execute(f"CREATE OR REPLACE VIEW raw.{spec.name}__window AS {window_sql(spec, months, con)}")


def load_feed(spec: FeedSpec, files: list[Path], con: duckdb.DuckDBPyConnection,
              sample_dir: Path = SAMPLE_DIR) -> FeedLoad:
    """Bring `raw.<feed>` up to date with `files` (see module docstring); raises FeedRejected."""
    prepare_warehouse(spec, con)
    load = FeedLoad(spec)
    changed, load.unchanged, load.removed = _changes(spec, files, sample_dir, con)
    errors = []
    for path, sha256 in changed:
        file, failures = _validate(spec, path, sha256, con, load)
        errors += failures
        if file:
            load.files.append(file)
    if errors:
        raise FeedRejected(spec.name, "file rules", errors)
    if load.changed:
        _promote(spec, load, sample_dir, con)
    load.rows = con.execute(f"SELECT coalesce(sum(rows), 0) FROM {LEDGER} WHERE feed = ?", [spec.name]).fetchone()[0]
    return load


def _promote(spec: FeedSpec, load: FeedLoad, sample_dir: Path, con: duckdb.DuckDBPyConnection) -> None:
    """One transaction: swap the rows of changed and removed files, check the changed partitions, note them."""
    replaced = load.removed + [str(f.path) for f in load.files]
    partition = spec.partition_column
    loaded_at = datetime.now(UTC).replace(tzinfo=None)
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute("CREATE OR REPLACE TEMP TABLE _replaced AS SELECT unnest(?::VARCHAR[]) AS path", [replaced])
        if partition:  # the months of the files replaced (from the ledger: a removed file cannot be read)
            old = con.execute(f"SELECT DISTINCT unnest(months) FROM {LEDGER} WHERE feed = ? AND path IN "
                              "(FROM _replaced)", [spec.name]).fetchall()
            months = {r[0] for r in old} | {m for f in load.files for m in f.partitions}
            load.partitions = sorted(months)
        con.execute(f"""DELETE FROM {parsed_table(spec)} WHERE source_file IN
            (SELECT file FROM {LEDGER} WHERE feed = ? AND path IN (FROM _replaced))""", [spec.name])
        con.execute(f"DELETE FROM {LEDGER} WHERE feed = ? AND path IN (FROM _replaced)", [spec.name])
        for file in load.files:
            vintage = file_vintage(spec.name, file.path, file.sha256, sample_dir, con)
            stat = file.path.stat()
            con.execute(f"INSERT INTO {LEDGER} VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        [spec.name, str(file.path), file.display, stat.st_size, stat.st_mtime_ns, file.sha256,
                         file.file_format.name, file.frame is None, vintage, file.rows, file.partitions, loaded_at])
            if file.frame is not None:
                con.register("f", file.frame)
                con.execute(f"INSERT INTO {parsed_table(spec)} SELECT {spec.select}, ?, ?, f.source_row, ?, ? "
                            "FROM f", [vintage, file.display, file.sha256, loaded_at])
                con.unregister("f")
        con.execute(_view_sql(spec, con))
        errors = _table_rule_errors(spec, load, con)
        if errors:
            raise FeedRejected(spec.name, "table rules", errors)
        periods = load.partitions if partition else [None]
        con.execute(f"INSERT INTO {PENDING} SELECT ?, unnest(?::DATE[]), ?", [spec.name, periods, loaded_at])
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


def _table_rule_errors(spec: FeedSpec, load: FeedLoad, con: duckdb.DuckDBPyConnection) -> list[FeedError]:
    """The feed's table-wide SQL rules, on the changed partitions only (the whole feed if unpartitioned)."""
    table = f"({window_sql(spec, load.partitions, con)})" if spec.partition_column else f"raw.{spec.name}"
    errors = []
    for check in spec.checks:
        bad = con.execute(check.sql.format(table=table)).df()
        for source_file, group in bad.groupby("source_file", sort=True):
            rows = sorted(int(r) for r in group["source_row"])
            sample = group.drop(columns=["source_file"]).head(3).to_dict("records")
            detail = "; ".join(", ".join(f"{k}={v}" for k, v in rec.items()) for rec in sample)
            errors.append(FeedError(source_file, check.rule, detail, rows))
    return errors
