"""The shape every raw feed shares: file formats that parse into one normalized frame."""

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

LINEAGE_COLUMNS = {
    "vintage": "DATE",
    "source_file": "VARCHAR",
    "source_row": "INTEGER",
    "file_sha256": "VARCHAR",
    "loaded_at": "TIMESTAMP",
}


class FeedError(Exception):
    """A feed file broke a rule. Names the file, the rule and the offending rows."""

    def __init__(self, file: str, rule: str, detail: str = "", rows: list[int] | None = None):
        self.file, self.rule, self.detail, self.rows = file, rule, detail, rows or []
        where = f" at row(s) {', '.join(map(str, self.rows[:10]))}" if self.rows else ""
        more = f" (+{len(self.rows) - 10} more)" if len(self.rows) > 10 else ""
        super().__init__(f"{file}: rule '{rule}' failed{where}{more}" + (f": {detail}" if detail else ""))


@dataclass(frozen=True)
class FileFormat:
    """One way a feed can arrive. `signature` columns identify it; `parse` normalizes it.

    `parse(path, frame)` gets the file read as strings (`frame` is None for non-tabular
    formats such as XML, which read `path` themselves; tabular parsers may ignore `path`) and returns
    the feed's normalized columns plus `source_row`.
    A bulk format sets `scan` instead: `scan(files)` (a SQL list of paths) returns a SELECT of the same
    normalized columns plus `path`, and DuckDB reads the files in place, never copying them.
    """

    name: str
    parse: Callable[[Path, pd.DataFrame | None], pd.DataFrame] | None = None
    signature: frozenset[str] = frozenset()
    required: tuple[str, ...] = ()
    suffixes: tuple[str, ...] = (".csv",)
    scan: Callable[[str], str] | None = None


@dataclass(frozen=True)
class SqlCheck:
    """A table-wide rule run in DuckDB on the changed months of a feed (the whole feed if it has no month
    column); `sql` selects the offending rows (with `source_file` and `source_row`) from `{table}`, and may
    read the ledger of loaded files as `{ledger}` (orchestration.ledger.LedgerRow columns)."""

    rule: str
    sql: str


@dataclass(frozen=True)
class FeedSpec:
    """A raw feed: its table, the formats its files may arrive in, and its table-wide rules. Its row rules
    are the GX suite `expectations/<name>.json`; its files live in `data/sample/<name>/` and
    `<landing>/<name>/`; dbt reads it as source `raw.<name>` (`dbt_project/models/staging/_sources.yml`)."""

    name: str
    description: str
    columns: dict[str, str]  # typed table columns (before lineage) -> DuckDB type
    select: str  # SQL that turns the normalized frame `f` into `columns`
    formats: tuple[FileFormat, ...]
    checks: tuple[SqlCheck, ...] = field(default_factory=tuple)
    month_column: str | None = None  # a DATE column of `columns`: loads, rules and dbt work month by month

    @property
    def table_columns(self) -> dict[str, str]:
        return self.columns | LINEAGE_COLUMNS

    @property
    def bulk_formats(self) -> tuple[FileFormat, ...]:
        """Formats DuckDB reads in place (never parsed into pandas)."""
        return tuple(f for f in self.formats if f.scan)
