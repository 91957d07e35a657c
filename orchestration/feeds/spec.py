"""The shape every raw feed shares: file formats that parse into one normalized frame."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd

LINEAGE_COLUMNS = {
    "vintage": "DATE",
    "source_file": "VARCHAR",
    "source_row": "INTEGER",
    "file_sha256": "VARCHAR",
    "loaded_at": "TIMESTAMP",
}
ROW_VINTAGE = "release_date"  # a parsed frame's column that gives a row its own vintage (FileFormat)


class FeedError(Exception):
    """A feed file broke a rule. Names the file, the rule and the offending rows."""

    MAX_DETAIL = 600  # characters: a message quotes a file's bytes, never a whole 10 MB line

    def __init__(self, file: str, rule: str, detail: str = "", rows: list[int] | None = None):
        detail = detail if len(detail) <= self.MAX_DETAIL else detail[: self.MAX_DETAIL] + " …"
        self.file, self.rule, self.detail, self.rows = file, rule, detail, rows or []
        where = f" at row(s) {', '.join(map(str, self.rows[:10]))}" if self.rows else ""
        more = f" (+{len(self.rows) - 10} more)" if len(self.rows) > 10 else ""
        super().__init__(f"{file}: rule '{rule}' failed{where}{more}" + (f": {detail}" if detail else ""))


@dataclass(frozen=True)
class FileFormat:
    """One way a feed can arrive. `signature` columns identify it; `parse` normalizes it.

    `parse(path, frame)` gets the file read as strings (`frame` is None for non-tabular
    formats such as XML, which read `path` themselves; tabular parsers may ignore `path`) and returns
    the feed's normalized columns plus `source_row`; a file of several releases adds `release_date`
    (`ROW_VINTAGE`, YYYY-MM-DD): a row's own vintage, the file's vintage where it is empty.
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
    read the ledger of loaded files as `{ledger}` (orchestration.ledger.LedgerRow columns), the files loaded
    in this run as `{changed}` (a SQL list of `source_file` names; `{benchmark}`: those declared benchmark
    revisions) and the feed's series values as `{series}` (orchestration/feeds/gates.py).
    A row compared with another names it in `other_file` and `other_row`: the rule is blamed on the files
    loaded in this run, whichever side they are on. An optional `why` column is the row's message.
    `guard` (optional, same placeholders): `sql` runs only if it returns a row, a cheap test (e.g. on the ledger)
    that spares a scan of millions of rows that cannot fail."""

    rule: str
    sql: str
    guard: str | None = None


def _default_tolerance() -> dict[str, float]:
    return {"world": 0.05, "group": 0.05, "country": 0.25}


@dataclass(frozen=True)
class Plausibility:
    """How a feed's values form time series, and how far a new value may move from what is known (docs/gates.md;
    the rules are generated once for every feed in orchestration/feeds/gates.py).

    A series is one `key` through time: `key` are SQL select items over a raw row (a column, or `expr AS name`),
    compared as text. Its value in a period is `value`, an aggregate over the rows of one file with that key and
    period (the feed's `period`); the kind of its `partner` (a key name: `world`, `group` or `country`, from the
    partner seeds) picks its tolerance.
    - revision within tolerance: a value of a newer vintage than one already known for the same period and key
      differs from that previous vintage by at most `revision_tolerance[kind]` (relative to the previous value)
      or `floor` (absolute, in `unit`), whichever is larger. A file declared a benchmark revision
      (orchestration/vintages.py) is exempt; the refresh reports it.
    - new period plausible: a value without an earlier vintage (a first release; and every value of a benchmark
      revision) lies within `band` times the median of the latest values of the same series in the `history`
      periods before it (periods `step_months` apart; judged with at least `min_history` of them), unless the
      value and that median are both below `floor` (small partners are not judged), or that median is below
      `min_median[kind]` (series of that kind too lumpy to judge until they are large). Only series where `judge`
      (SQL over the key names and `kind`) holds; none if `judge` is None (series too irregular to judge).
    """

    key: tuple[str, ...]
    value: str = "sum(value_usd)"
    partner: str = "partner_code"
    unit: str = "USD"
    revision_tolerance: Mapping[str, float] = field(default_factory=_default_tolerance)
    floor: float = 5e6
    # months between two periods of a series, how many periods before a new one are its history and how many of
    # them it needs to be judged; SQL over the key names where they vary by series (a feed of months and years)
    step_months: int | str = 1
    history: int | str = 12
    min_history: int | str = 6
    band: tuple[float, float] = (0.1, 10.0)
    min_median: Mapping[str, float] = field(default_factory=dict)
    judge: str | None = "true"

    @property
    def key_names(self) -> tuple[str, ...]:
        return tuple(item.rsplit(" AS ", 1)[-1].strip() for item in self.key)

    @property
    def key_exprs(self) -> tuple[str, ...]:
        return tuple(item.rsplit(" AS ", 1)[0].strip() for item in self.key)


@dataclass(frozen=True)
class ReleaseStream:
    """One release of a feed's periods on its publisher's calendar: the `name` release of a period (a month or a
    year, `frequency`) is out `lag_days` after the period ends. The lag is our reading of the publisher's practice,
    and `basis` says where it comes from. `rows` (SQL over raw.<feed>) picks the rows that hold this release; their
    period is the feed's period. A period due more than `grace_days` ago and not held: the feed is behind (a
    warning); `far_behind` periods or more: far behind (its check fails; staleness never blocks publication)."""

    name: str
    publisher: str
    frequency: str  # month | year
    lag_days: int
    basis: str
    rows: str = "true"
    grace_days: int = 7
    far_behind: int = 3


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
    # The generated table rules (orchestration/feeds/gates.py): `period` is SQL giving a row's first day (DATE;
    # default: `month_column`); a period that starts after the file's vintage (or the day it arrived), or
    # before `earliest_period` (the feed's documented start), is rejected, as is a `release_date` (SQL, DATE)
    # after the file's vintage. `plausibility`: the revision and new-period rules.
    period: str | None = None
    earliest_period: date | None = None
    release_date: str | None = None
    plausibility: Plausibility | None = None
    # when the feed's publishers release each period (orchestration/freshness.py); empty: no calendar
    calendar: tuple[ReleaseStream, ...] = ()

    @property
    def table_columns(self) -> dict[str, str]:
        return self.columns | LINEAGE_COLUMNS

    @property
    def period_sql(self) -> str | None:
        return self.period or self.month_column

    @property
    def bulk_formats(self) -> tuple[FileFormat, ...]:
        """Formats DuckDB reads in place (never parsed into pandas)."""
        return tuple(f for f in self.formats if f.scan)
