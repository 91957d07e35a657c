"""The one loader every raw feed goes through: write, audit, publish.

1. parse each file of the feed (shipped sample + landing directory) with its format,
2. validate each parsed file with the feed's GX suite (row rules, naming file and rows),
3. write all files to `raw.<feed>__audit` in the warehouse and run the feed's SQL rules there,
4. only if everything passed, rename it to `raw.<feed>` in one transaction (no copy).
A failure raises `FeedRejected`; `raw.<feed>` and everything downstream stay as they were.
"""

import hashlib
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd

from orchestration.feeds.readers import display_name, read_table
from orchestration.feeds.spec import FeedError, FeedSpec, FileFormat
from orchestration.settings import SAMPLE_DIR, WarehousePaths
from orchestration.validation.gx_suites import validate_file
from orchestration.vintages import file_vintage

IGNORED_SUFFIXES = (".part", ".tmp", ".crdownload")  # files still being written


class FeedRejected(Exception):
    """A feed failed its gate; `errors` lists every file, rule and row that failed."""

    def __init__(self, feed: str, stage: str, errors: list[FeedError]):
        self.feed, self.stage, self.errors = feed, stage, errors
        lines = "\n".join(f"  - {e}" for e in errors)
        super().__init__(f"raw/{feed} rejected ({stage}), nothing promoted:\n{lines}")


@dataclass
class FileLoad:
    path: Path
    display: str
    file_format: str
    rows: int
    sha256: str


@dataclass
class StagedFeed:
    spec: FeedSpec
    files: list[FileLoad] = field(default_factory=list)
    expectations_evaluated: int = 0
    rows: int = 0


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


def parse_file(spec: FeedSpec, path: Path) -> tuple[FileFormat, pd.DataFrame]:
    """Recognize the file's format (by suffix and header) and parse it to the feed's normalized frame."""
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
    frame = read_table(path)
    if frame.columns.empty or frame.empty:
        raise FeedError(name, "file has data rows", f"header only: {list(frame.columns)}")
    header = set(frame.columns)
    fmt = next((f for f in tabular if f.signature <= header), None)
    if fmt is None:
        expected = "; ".join(f"{f.name}: {sorted(f.required or f.signature)}" for f in tabular)
        raise FeedError(name, "header matches a known format",
                        f"columns {sorted(header)}; expected {expected}")
    missing = [c for c in (fmt.required or fmt.signature) if c not in header]
    if missing:
        raise FeedError(name, f"{fmt.name} has all required columns", f"missing column(s) {missing}")
    return fmt, fmt.parse(path, frame)


def stage_feed(spec: FeedSpec, files: list[Path], con: duckdb.DuckDBPyConnection,
               sample_dir: Path = SAMPLE_DIR) -> StagedFeed:
    """Parse and validate every file, write them to `raw.<feed>__audit` with their vintage, run the SQL rules."""
    staged, parsed, errors = StagedFeed(spec), [], []
    for path in files:
        try:
            fmt, frame = parse_file(spec, path)
        except FeedError as exc:
            errors.append(exc)
            continue
        evaluated, failures = validate_file(spec.name, frame, display_name(path))
        staged.expectations_evaluated += evaluated
        errors += failures
        parsed.append((FileLoad(path, display_name(path), fmt.name, len(frame), sha256_of(path)), frame))
    if errors:
        raise FeedRejected(spec.name, "file rules", errors)

    table = audit_table(spec)
    columns = ", ".join(f"{name} {kind}" for name, kind in spec.table_columns.items())
    con.execute("CREATE SCHEMA IF NOT EXISTS raw")
    con.execute(f"CREATE OR REPLACE TABLE {table} ({columns})")
    loaded_at = datetime.now(UTC).replace(tzinfo=None)
    for load, frame in parsed:
        con.register("f", frame)
        vintage = file_vintage(spec.name, load.path, load.sha256, sample_dir, con)
        con.execute(f"INSERT INTO {table} SELECT {spec.select}, ?, ?, f.source_row, ?, ? FROM f",
                    [vintage, load.display, load.sha256, loaded_at])
        con.unregister("f")
        staged.files.append(load)
    staged.rows = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]

    for check in spec.checks:
        bad = con.execute(check.sql.format(table=table)).df()
        for source_file, group in bad.groupby("source_file", sort=True):
            rows = sorted(int(r) for r in group["source_row"])
            sample = group.drop(columns=["source_file"]).head(3).to_dict("records")
            detail = "; ".join(", ".join(f"{k}={v}" for k, v in rec.items()) for rec in sample)
            errors.append(FeedError(source_file, check.rule, detail, rows))
    if errors:
        raise FeedRejected(spec.name, "table rules", errors)
    return staged


def audit_table(spec: FeedSpec) -> str:
    """Where a feed is written and checked before it may replace `raw.<feed>`."""
    return f"raw.{spec.name}__audit"


def promote(spec: FeedSpec, con: duckdb.DuckDBPyConnection) -> None:
    """Swap the audited table in as `raw.<feed>` atomically (a rename, not a copy)."""
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute(f"DROP TABLE IF EXISTS raw.{spec.name}")
        con.execute(f"ALTER TABLE {audit_table(spec)} RENAME TO {spec.name}")
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
