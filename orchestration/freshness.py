"""How far each feed is behind its release calendar (FeedSpec.calendar): the latest period the warehouse holds of
each release against the latest period its publisher should have released by a given day (the warehouse's clock,
orchestration.clock). Due dates are our reading of each publisher's practice (ReleaseStream.basis).

Statuses: `fresh` (the latest due period is held), `within grace` (the next period is due, but since fewer than
`grace_days`), `behind` (a warning), `far behind` (`far_behind` periods or more: the check fails, but staleness
never blocks publication), `no data` (no row of that release), `no calendar` (a feed without one).
"""

import calendar as month_lengths
from dataclasses import dataclass
from datetime import date, timedelta

import duckdb

from orchestration.feeds import FEEDS
from orchestration.feeds.spec import FeedSpec, ReleaseStream

TABLE = "raw._feed_freshness"  # what the dbt mart `feed_freshness` publishes, written before each dbt build
CHECK = "release_calendar"  # the non-blocking asset check of every raw feed that has a calendar
OK = ("fresh", "within grace")


def period_end(period: date, frequency: str) -> date:
    if frequency == "year":
        return date(period.year, 12, 31)
    return period.replace(day=month_lengths.monthrange(period.year, period.month)[1])


def shift(period: date, frequency: str, periods: int) -> date:
    """The period `periods` after `period` (before, if negative)."""
    if frequency == "year":
        return date(period.year + periods, 1, 1)
    months = period.year * 12 + period.month - 1 + periods
    return date(months // 12, months % 12 + 1, 1)


def due(period: date, stream: ReleaseStream) -> date:
    """The day `stream` should have `period` out."""
    return period_end(period, stream.frequency) + timedelta(days=stream.lag_days)


def expected_period(stream: ReleaseStream, today: date) -> date:
    """The latest period whose release is due on or before `today`."""
    last_ended = today - timedelta(days=stream.lag_days)  # a period that ended by this day is due
    current = date(last_ended.year, 1, 1) if stream.frequency == "year" else last_ended.replace(day=1)
    return current if period_end(current, stream.frequency) <= last_ended else shift(current, stream.frequency, -1)


def periods_between(earlier: date, later: date, frequency: str) -> int:
    if frequency == "year":
        return later.year - earlier.year
    return (later.year - earlier.year) * 12 + later.month - earlier.month


@dataclass(frozen=True)
class Freshness:
    feed: str
    release: str | None
    publisher: str | None
    frequency: str | None
    latest_period: date | None
    expected_period: date | None
    expected_since: date | None  # the day the expected period became due
    periods_behind: int | None
    status: str
    as_of: date
    basis: str | None

    def line(self) -> str:
        """One line for the CLI and the logs."""
        if self.status == "no calendar":
            return f"{self.feed}: no release calendar declared"
        head = f"{self.feed}, {self.release}: latest {label(self.latest_period, self.frequency) or 'none'}"
        if self.status == "fresh":
            return f"{head}, as due (fresh)"
        n, unit = self.periods_behind, "month" if self.frequency == "month" else "year"
        behind = "" if n is None else f" — {n} {unit}{'s' * (n != 1)} behind"
        expected = label(self.expected_period, self.frequency)
        return f"{head}; should have {expected} since {self.expected_since}{behind} ({self.status})"


def label(period: date | None, frequency: str | None) -> str:
    return "" if period is None else f"{period:%Y}" if frequency == "year" else f"{period:%Y-%m}"


def assess(feed: str, stream: ReleaseStream, latest: date | None, today: date) -> Freshness:
    """The freshness of one release, holding periods up to `latest`, on `today`."""
    expected = expected_period(stream, today)
    if latest is None:
        behind, status = None, "no data"
    else:
        behind = max(periods_between(latest, expected, stream.frequency), 0)
        next_due = due(shift(latest, stream.frequency, 1), stream)
        if behind == 0:
            status = "fresh"
        elif behind >= stream.far_behind:
            status = "far behind"
        elif today <= next_due + timedelta(days=stream.grace_days):
            status = "within grace"
        else:
            status = "behind"
    return Freshness(
        feed, stream.name, stream.publisher, stream.frequency, latest, expected, due(expected, stream), behind,
        status, today, stream.basis,
    )  # fmt: skip


def latest_periods(spec: FeedSpec, con: duckdb.DuckDBPyConnection) -> dict[str, date | None]:
    """The latest period raw.<feed> holds of each release of its calendar."""
    if not spec.calendar:
        return {}
    items = ", ".join(f"max({spec.period_sql}) FILTER (WHERE {s.rows})" for s in spec.calendar)
    row = con.execute(f"SELECT {items} FROM raw.{spec.name}").fetchone()
    return {stream.name: value for stream, value in zip(spec.calendar, row, strict=True)}


def of_feed(spec: FeedSpec, con: duckdb.DuckDBPyConnection, today: date) -> list[Freshness]:
    if not spec.calendar:
        return [Freshness(spec.name, None, None, None, None, None, None, None, "no calendar", today, None)]
    latest = latest_periods(spec, con)
    return [assess(spec.name, stream, latest[stream.name], today) for stream in spec.calendar]


def of_all_feeds(con: duckdb.DuckDBPyConnection, today: date) -> list[Freshness]:
    return [f for spec in FEEDS.values() for f in of_feed(spec, con, today)]


def published(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str | None, date | None]]:
    """(feed, release, latest period) of a publication's marts.feed_freshness; [] for one published before it."""
    if not con.execute(
        "SELECT 1 FROM duckdb_tables() WHERE schema_name = 'marts' AND table_name = 'feed_freshness'"
    ).fetchone():
        return []
    return con.execute("SELECT feed, release, latest_period FROM marts.feed_freshness ORDER BY ALL").fetchall()


def reassessed(rows: list[tuple[str, str | None, date | None]], today: date) -> list[Freshness]:
    """The published (feed, release, latest period) rows judged again on `today` (a day after the publication)."""
    streams = {(spec.name, s.name): s for spec in FEEDS.values() for s in spec.calendar}
    return [
        assess(feed, streams[(feed, release)], latest, today)
        if (feed, release) in streams
        else Freshness(feed, release, None, None, latest, None, None, None, "no calendar", today, None)
        for feed, release, latest in rows
    ]


def stale(rows: list[tuple[str, str | None, date | None]], today: date) -> list[Freshness]:
    """The releases of published (feed, release, latest period) rows that are behind their calendar on `today`."""
    return [f for f in reassessed(rows, today) if f.status not in (*OK, "no calendar")]


def write(con: duckdb.DuckDBPyConnection, today: date) -> None:
    """raw._feed_freshness: every feed's freshness on `today`, what the mart `feed_freshness` publishes."""
    rows = of_all_feeds(con, today)
    con.execute(
        f"""CREATE OR REPLACE TABLE {TABLE} (feed VARCHAR, release VARCHAR, publisher VARCHAR, frequency VARCHAR,
            latest_period DATE, expected_period DATE, expected_since DATE, periods_behind INTEGER, status VARCHAR,
            as_of DATE, basis VARCHAR)"""
    )
    values = [list(vars(r).values()) for r in rows]
    con.executemany(f"INSERT INTO {TABLE} VALUES ({', '.join(['?'] * 11)})", values)
