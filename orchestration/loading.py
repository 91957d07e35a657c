"""The one loader every raw feed goes through: only what changed, gated, promoted in one transaction.

A refresh of a feed:
1. compares the feed's files (shipped sample + landing directory) with the ledger (`raw._files`,
   orchestration.ledger); unchanged files are not read again, and with nothing changed it ends here;
2. parses each new or changed file and validates it with the feed's GX suite (expectations/<feed>.json):
   GX on the parsed frame, or for a bulk file the same suite compiled to SQL, month by month;
3. in one transaction: replaces the rows of changed and removed files (parsed rows in `raw.<feed>__parsed`,
   bulk files by their ledger rows), re-creates the view `raw.<feed>` (orchestration.raw_views), runs the
   feed's table-wide SQL rules on the months that changed (its checks and the rules its spec declares,
   orchestration/feeds/gates.py), and notes those months as pending for dbt.
   A failure rolls all of it back and raises `FeedRejected`: raw and everything downstream stay as they were.
   A table rule is blamed on the files loaded in this run that its failing rows come from or are compared
   with; unchanged files (shipped samples, landing files loaded before) are named as what they were compared
   with, so that quarantine moves the new file and the next refresh publishes again
   (orchestration.validation.blame).
"""

import hashlib
import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd

from orchestration import clock, duplicates, ledger
from orchestration.database import transaction
from orchestration.feeds import gates
from orchestration.feeds.readers import family, read_table, source_file
from orchestration.feeds.reference import partner_kinds
from orchestration.feeds.spec import ROW_VINTAGE, FeedError, FeedSpec, FileFormat
from orchestration.raw_views import (
    feed_view_sql,
    files_sql,
    parsed_table,
    parser_digest,
    series_table,
    table_comment,
    window_sql,
)
from orchestration.settings import SAMPLE_DIR
from orchestration.sql import literal, string_list
from orchestration.validation.blame import blame
from orchestration.validation.gx_suites import validate_file
from orchestration.validation.suite_sql import validate_relation
from orchestration.vintages import declared_vintage, file_vintage, is_benchmark


class FeedRejected(Exception):
    """A feed failed its gate; `errors` lists every file, rule and row that failed; `changed` names the files
    this run read (only those may be quarantined)."""

    def __init__(self, feed: str, stage: str, errors: list[FeedError], changed: frozenset[str] = frozenset()):
        self.feed, self.stage, self.errors, self.changed = feed, stage, errors, changed
        lines = "\n".join(f"  - {e}" for e in errors)
        super().__init__(f"raw/{feed} rejected ({stage}), nothing promoted:\n{lines}")


@dataclass
class FileLoad:
    """One new or changed file, parsed and validated (`frame` is None for a bulk file read in place)."""

    path: Path
    source_file: str
    file_format: FileFormat
    rows: int
    sha256: str
    frame: pd.DataFrame | None = None
    months: list[date] = field(default_factory=list)  # months it holds (feeds with a month column)


@dataclass
class FeedLoad:
    """What one refresh of a feed did."""

    spec: FeedSpec
    files: list[FileLoad] = field(default_factory=list)  # loaded this time
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)
    months: list[date] | None = None  # months that changed; None: the whole feed (it has no month column)
    expectations_evaluated: int = 0
    rows: int = 0  # rows in raw.<feed> after the load
    benchmark_revisions: list[str] = field(default_factory=list)  # one line per accepted benchmark revision
    duplicates: list[str] = field(default_factory=list)  # one line per file not loaded: its content is loaded

    @property
    def changed(self) -> bool:
        return bool(self.files or self.removed)


def parse_file(spec: FeedSpec, path: Path) -> tuple[FileFormat, pd.DataFrame | None]:
    """Recognize the file's format (by suffix and header) and parse it to the feed's normalized frame
    (None for a bulk format, which DuckDB reads in place)."""
    name = source_file(path)
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
        with duckdb.connect() as own:  # a connection of its own: a broken file must not abort a shared one
            header = [r[0] for r in own.sql(f"DESCRIBE SELECT * FROM read_parquet({literal(path)})").fetchall()]
            rows = own.sql(f"SELECT sum(num_rows) FROM parquet_file_metadata({literal(path)})").fetchone()[0]
    else:
        frame = read_table(path)
        header, rows = list(frame.columns), len(frame)
    if not header or not rows:
        raise FeedError(name, "file has data rows", f"header only: {header}")
    header = set(header)
    fmt = next((f for f in tabular if f.signature <= header), None)
    if fmt is None:
        expected = "; ".join(f"{f.name}: {sorted(f.required or f.signature)}" for f in tabular)
        raise FeedError(name, "header matches a known format", f"columns {sorted(header)}; expected {expected}")
    missing = [c for c in (fmt.required or fmt.signature) if c not in header]
    if missing:
        raise FeedError(name, f"{fmt.name} has all required columns", f"missing column(s) {missing}")
    if fmt.scan:
        return fmt, None
    return fmt, fmt.parse(path, read_table(path) if frame is None else frame)


def prepare(spec: FeedSpec, con: duckdb.DuckDBPyConnection) -> None:
    """The bookkeeping tables, current partner codes and the feed's parsed-rows (and series) table. A parsed-rows
    table written under other spec columns (e.g. before a column was added) or by other parsing code (its digest
    is the table's comment: a format that now emits more rows), or a series table missing or of another series
    definition while files are loaded, is replaced and the feed's files are forgotten, so this load reads and
    validates all of them again."""
    ledger.ensure_tables(con)
    ledger.refresh_partner_kinds(con, partner_kinds())
    found = [
        c
        for (c,) in con.execute(
            "SELECT column_name FROM duckdb_columns() WHERE schema_name = 'raw' AND table_name = ? "
            "ORDER BY column_index",
            [parsed_table(spec).removeprefix("raw.")],
        ).fetchall()
    ]
    columns = ", ".join(f"{name} {kind}" for name, kind in spec.table_columns.items())
    digest = parser_digest(spec)
    with transaction(con):
        stale = bool(found) and (found != list(spec.table_columns) or table_comment(con, parsed_table(spec)) != digest)
        if stale:
            con.execute(f"DROP TABLE {parsed_table(spec)}")
        con.execute(f"CREATE TABLE IF NOT EXISTS {parsed_table(spec)} ({columns})")
        con.execute(f"COMMENT ON TABLE {parsed_table(spec)} IS {literal(digest)}")
        known = list(ledger.known_files(con, spec.name))
        if (_prepare_series(spec, con) or stale) and known:
            con.execute(f"DELETE FROM {parsed_table(spec)}")
            ledger.forget(con, spec.name, known)


def _prepare_series(spec: FeedSpec, con: duckdb.DuckDBPyConnection) -> bool:
    """Create the feed's series table (its definition's digest as the table comment) unless it is there as
    defined; True if it was (re)created: the values of the files loaded so far are not in it."""
    name = series_table(spec).removeprefix("raw.")
    found = con.execute(
        "SELECT comment FROM duckdb_tables() WHERE schema_name = 'raw' AND table_name = ?", [name]
    ).fetchall()
    digest = _series_digest(spec) if spec.plausibility else None
    if found and found[0][0] == digest:
        return False
    if found:
        con.execute(f"DROP TABLE {series_table(spec)}")
    if digest is None:
        return False
    columns = ", ".join(f"{n} {kind}" for n, kind in gates.series_columns(spec).items())
    con.execute(f"CREATE TABLE {series_table(spec)} ({columns})")
    con.execute(f"COMMENT ON TABLE {series_table(spec)} IS {literal(digest)}")
    return True


def _series_digest(spec: FeedSpec) -> str:
    definition = gates.series_insert_sql(spec, "rows") + repr(gates.series_columns(spec))
    return "series " + hashlib.sha256(definition.encode()).hexdigest()[:16]


def forget_all_files(con: duckdb.DuckDBPyConnection) -> None:
    """Empty the ledger, every feed's parsed rows and series: the next load reads and validates every file again."""
    ledger.ensure_tables(con)
    ledger.forget_all(con)
    for (table,) in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'raw' "
        "AND (table_name LIKE '%\\_\\_parsed' ESCAPE '\\' OR table_name LIKE '%\\_\\_series' ESCAPE '\\')"
    ).fetchall():
        con.execute(f"DELETE FROM raw.{table}")


def load_feed(
    spec: FeedSpec, files: list[Path], con: duckdb.DuckDBPyConnection, sample_dir: Path = SAMPLE_DIR
) -> FeedLoad:
    """Bring `raw.<feed>` up to date with `files` (see module docstring); raises FeedRejected."""
    prepare(spec, con)
    load = FeedLoad(spec)
    changes = ledger.detect_changes(con, spec.name, files, lambda p: declared_vintage(spec.name, p, sample_dir))
    load.unchanged, load.removed = changes.unchanged, changes.removed
    load.duplicates = [duplicates.line(source_file(p), source_file(Path(holder))) for p, holder in changes.duplicates]
    errors = []
    for path, sha256 in changes.new_or_changed:
        file, failures = _validate(spec, path, sha256, con, load)
        errors += failures
        if file:
            load.files.append(file)
    if errors:
        raise FeedRejected(
            spec.name, "file rules", errors, frozenset(source_file(p) for p, _ in changes.new_or_changed)
        )
    _drop_repeated_releases(spec, load, con)
    if load.changed:
        _promote(spec, load, sample_dir, con)
    load.rows = ledger.feed_rows(con, spec.name)
    return load


def _drop_repeated_releases(spec: FeedSpec, load: FeedLoad, con: duckdb.DuckDBPyConnection) -> None:
    """A new release file whose every printed figure a loaded file holds is not loaded (orchestration.duplicates)."""
    known = ledger.known_files(con, spec.name)
    paths = {row.source_file: path for path, row in known.items()}
    replaced = [known[p].source_file for p in load.removed]
    for file in [f for f in load.files if f.frame is not None]:
        holders = duplicates.repeated_release(spec, file.frame, file.source_file, con, replaced)
        if holders:
            load.files.remove(file)
            ledger.record_duplicate(con, spec.name, file.path, file.sha256, paths[holders[0]])
            load.duplicates.append(duplicates.line(file.source_file, ", ".join(holders), "the same printed figures"))


def unreadable(path: Path, exc: Exception) -> FeedError:
    """A reader's or parser's error on one file, as that file's rejection (never the run's failure)."""
    message = (str(exc).strip().splitlines() or [""])[0][:300]
    return FeedError(source_file(path), f"readable as {family(path)}", f"{type(exc).__name__}: {message}")


def _validate(
    spec: FeedSpec, path: Path, sha256: str, con: duckdb.DuckDBPyConnection, load: FeedLoad
) -> tuple[FileLoad | None, list[FeedError]]:
    """Parse one file and run the feed's suite on it; whatever a reader, parser or validator raises for the file is
    the file's rejection (FeedError), so that a file no parser can read is quarantined like any bad file."""
    try:
        return _parse_and_validate(spec, path, sha256, con, load)
    except FeedError as exc:
        return None, [exc]
    except Exception as exc:  # noqa: BLE001 - every failure to read a file is that file's rejection
        return None, [unreadable(path, exc)]


def _parse_and_validate(
    spec: FeedSpec, path: Path, sha256: str, con: duckdb.DuckDBPyConnection, load: FeedLoad
) -> tuple[FileLoad, list[FeedError]]:
    """GX on a parsed frame, SQL on a bulk file."""
    name = source_file(path)
    fmt, frame = parse_file(spec, path)
    if frame is not None:
        evaluated, failures = validate_file(spec.name, frame, name)
        rows = len(frame)
        months = frame[spec.month_column].dropna().unique() if spec.month_column else []
    else:
        run = validate_relation(spec.name, fmt.scan(string_list([path])), name, spec.month_column, con)
        evaluated, failures, months = run.evaluated, run.failures, run.rows_per_month
        rows = sum(run.rows_per_month.values())
    # months ('YYYY-MM') are known to be valid only once the file passed
    file_months = [] if failures else sorted(date.fromisoformat(m + "-01") for m in months)
    load.expectations_evaluated += evaluated
    return FileLoad(path, name, fmt, rows, sha256, frame, file_months), failures


def _promote(spec: FeedSpec, load: FeedLoad, sample_dir: Path, con: duckdb.DuckDBPyConnection) -> None:
    """One transaction: swap the rows of changed and removed files, check the changed months, note them."""
    replaced = load.removed + [str(f.path) for f in load.files]
    loaded_at = clock.now()
    with transaction(con):
        if spec.month_column:  # the months of the files replaced, before and after
            months = ledger.months_of(con, spec.name, replaced) | {m for f in load.files for m in f.months}
            load.months = sorted(months)
        gone = ledger.forget(con, spec.name, replaced)
        if gone:
            for table in (parsed_table(spec), *([series_table(spec)] if spec.plausibility else [])):
                con.execute(f"DELETE FROM {table} WHERE list_contains(?::VARCHAR[], source_file)", [gone])
        for file in load.files:
            vintage = file_vintage(spec.name, file.path, file.sha256, sample_dir, con)
            stat = file.path.stat()
            row = ledger.LedgerRow(
                feed=spec.name,
                path=str(file.path),
                source_file=file.source_file,
                size=stat.st_size,
                mtime_ns=stat.st_mtime_ns,
                sha256=file.sha256,
                file_format=file.file_format.name,
                bulk=file.frame is None,
                vintage=vintage,
                rows=file.rows,
                months=file.months,
                loaded_at=loaded_at,
            )
            ledger.record(con, row)
            if file.frame is not None:
                con.register("f", file.frame)
                # a row's own release date is its vintage (a file of several releases, FileFormat)
                own = f"coalesce(TRY_CAST(f.{ROW_VINTAGE} AS DATE), ?)" if ROW_VINTAGE in file.frame else "?"
                try:
                    con.execute(
                        f"INSERT INTO {parsed_table(spec)} SELECT {spec.select}, {own}, ?, f.source_row, ?, ? FROM f",
                        [vintage, file.source_file, file.sha256, loaded_at],
                    )
                except duckdb.Error as exc:  # a parser's bug: the file's rejection, rolled back with the rest
                    error = FeedError(file.source_file, "values convert to the feed's columns", str(exc)[:300])
                    changed = frozenset(f.source_file for f in load.files)
                    raise FeedRejected(spec.name, "file rules", [error], changed) from None
                finally:
                    con.unregister("f")
        con.execute(feed_view_sql(spec, con))
        changed = [f.source_file for f in load.files]
        if spec.plausibility and changed:  # each new file's values per period × key, once
            rows = f"({files_sql(spec, changed, con)})"
            con.execute(f"INSERT INTO {series_table(spec)} {gates.series_insert_sql(spec, rows)}")
        benchmark = [f.source_file for f in load.files if is_benchmark(spec.name, f.path, sample_dir)]
        placeholders = _placeholders(spec, load, changed, benchmark, con)
        errors = _table_rule_errors(spec, placeholders, set(changed), con)
        if errors:
            raise FeedRejected(spec.name, "table rules", errors, frozenset(changed))
        load.benchmark_revisions = _benchmark_report(spec, placeholders, benchmark, con)
        ledger.note_pending(con, spec.name, load.months, loaded_at)


def _placeholders(
    spec: FeedSpec, load: FeedLoad, changed: list[str], benchmark: list[str], con: duckdb.DuckDBPyConnection
) -> dict[str, str]:
    """What a table rule's SQL may name (SqlCheck): the changed months (`table`), the ledger, the files loaded now,
    and the feed's series (`series`, for a feed with `plausibility`)."""
    table = f"({window_sql(spec, load.months, con)})" if spec.month_column else f"raw.{spec.name}"
    found = {"table": table, "ledger": ledger.FILES, "changed": _names(changed), "benchmark": _names(benchmark)}
    if spec.plausibility:
        found["series"] = gates.series_relation(spec, series_table(spec))
    return found


def _names(names: list[str]) -> str:
    return f"{string_list(names)}::VARCHAR[]"


def _table_rule_errors(
    spec: FeedSpec, placeholders: dict[str, str], changed: set[str], con: duckdb.DuckDBPyConnection
) -> list[FeedError]:
    """The feed's table-wide SQL rules, on the changed months only (the whole feed if it has no months)."""
    errors = []
    for check in gates.table_rules(spec):
        if check.guard and not con.execute(check.guard.format(**placeholders)).fetchone():
            continue
        bad = con.execute(check.sql.format(**placeholders)).df()
        errors += blame(check.rule, bad, changed)
    return errors


def _benchmark_report(
    spec: FeedSpec, placeholders: dict[str, str], benchmark: list[str], con: duckdb.DuckDBPyConnection
) -> list[str]:
    """One line per file declared a benchmark revision: what it revised beyond the tolerance (accepted)."""
    if not benchmark or not spec.plausibility:
        return []
    sql = gates.revision_sql(spec.plausibility).format(
        **(placeholders | {"changed": _names(benchmark), "benchmark": _names([])})
    )
    revised = con.execute(sql).df()
    lines = []
    for name in benchmark:
        rows = revised[revised["source_file"] == name]
        if rows.empty:
            lines.append(f"benchmark revision {name}: accepted, no value revised beyond the tolerance")
            continue
        largest = rows.loc[rows["change"].abs().fillna(float("inf")).idxmax()]
        lines.append(
            f"benchmark revision {name}: accepted, {len(rows)} value(s) revised beyond the tolerance, "
            f"largest {largest['why'].split(', beyond the ')[0]}"
        )
    return lines
