"""Gates that catch what a typo does (README, "Gates"; orchestration/feeds/gates.py): impossible periods, revisions
beyond the tolerance, new periods far from their history (with "looks like thousand USD"), the right file blamed
and quarantined, and a headline that compares like with like.

The first part runs the loader on small parquet files in an in-memory DuckDB (fast); the last part runs the
whole refresh on a copy of the published sample warehouse, as a user would."""

import importlib.util
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from orchestration import clock
from orchestration.feeds import FEEDS, gates
from orchestration.feeds.reference import partner_kinds
from orchestration.loading import FeedLoad, FeedRejected, _placeholders, _table_rule_errors, load_feed, prepare
from orchestration.raw_views import feed_view_sql, parsed_table, series_table
from orchestration.reports.headlines import latest_us_china_shares
from orchestration.validation.blame import blame
from orchestration.vintages import _manifest, declared_vintage, is_benchmark
from tests.helpers import REPO, assert_rejected, drop, quarantined

KCS = "kcs_monthly_partner"
SPEC = FEEDS[KCS]
PLAUSIBLE = "new period plausible against the last 12 months"
THOUSAND = "looks like thousand USD (values ~1,000× too small)"
# 2025: a world total of ~50 bn USD a month, the US ~10 bn, Tonga ~1 mn (a small partner, below the 5 mn floor)
HISTORY = [
    (f"2025-{m:02d}", partner, "export", value * (1 + m / 100))
    for m in range(1, 13)
    for partner, value in (("WLD", 50e9), ("USA", 10e9), ("TON", 1e6))
]


def write_parquet(path: Path, rows: list[tuple]) -> Path:
    """The canonical long form as parquet (validated in SQL: fast), every row an all-products row."""
    path.parent.mkdir(parents=True, exist_ok=True)
    frame = pd.DataFrame(rows, columns=["period", "partner_code", "flow", "value_usd"]).assign(hs_code="TOTAL")
    con = duckdb.connect()
    con.register("f", frame)
    con.execute(f"COPY (SELECT period, partner_code, flow, hs_code, value_usd FROM f) TO '{path}' (FORMAT parquet)")
    con.close()
    return path


class Feed:
    """kcs_monthly_partner in an in-memory warehouse: files land, then everything landed so far is loaded."""

    def __init__(self, root: Path):
        self.root, self.files, self.con = root, [], duckdb.connect()

    def load(self, name: str, rows: list[tuple]) -> FeedLoad:
        self.files.append(write_parquet(self.root / "landing" / KCS / name, rows))
        try:
            return load_feed(SPEC, list(self.files), self.con, self.root / "sample")
        except FeedRejected:
            self.files.pop()
            raise

    def value(self, partner: str, month: str) -> list[tuple]:
        return self.con.execute(
            f"SELECT vintage, value_usd FROM raw.{KCS} WHERE partner_code = ? AND period = ? ORDER BY vintage",
            [partner, date.fromisoformat(month + "-01")],
        ).fetchall()


@pytest.fixture
def feed(tmp_path):
    feed = Feed(tmp_path)
    feed.load("history__vintage-2026-01-10.parquet", HISTORY)
    yield feed
    feed.con.close()


def rejected(feed: Feed, name: str, rows: list[tuple]) -> list:
    with pytest.raises(FeedRejected) as caught:
        feed.load(name, rows)
    assert caught.value.stage == "table rules" and caught.value.changed == {f"{feed.root}/landing/{KCS}/{name}"}
    return caught.value.errors


def test_a_new_month_in_thousand_usd_says_so(feed):
    [error] = rejected(feed, "jan__vintage-2026-02-10.parquet", [("2026-01", "WLD", "export", 50.1e6)])
    assert error.file.endswith("jan__vintage-2026-02-10.parquet") and error.rule == PLAUSIBLE and error.rows == [1]
    assert "WLD export 2026-01: 50,100,000 USD is 0.000941× the median of the 12 months before it" in error.detail
    assert THOUSAND in error.detail
    assert feed.value("WLD", "2026-01") == []  # nothing promoted


def test_a_plausible_new_month_and_a_small_partner_pass(feed):
    # Tonga at 4x its median is below the floor (5 mn USD): small partners are not judged
    feed.load(
        "jan__vintage-2026-02-10.parquet",
        [("2026-01", "WLD", "export", 48e9), ("2026-01", "USA", "export", 12e9), ("2026-01", "TON", "export", 4e6)],
    )
    assert feed.value("USA", "2026-01") == [(date(2026, 2, 10), 12e9)]


def test_ten_times_the_history_is_rejected_without_a_unit_hint(feed):
    [error] = rejected(feed, "jan__vintage-2026-02-10.parquet", [("2026-01", "USA", "export", 120e9)])
    assert error.rule == PLAUSIBLE and "outside 0.1…10×" in error.detail and "looks like" not in error.detail


def test_a_revision_beyond_the_tolerance_gives_both_values(feed):
    # world tolerance 5 %, country 25 %: +6 % of the world is rejected, +6 % of the US is accepted
    rows = [("2025-06", "WLD", "export", 53e9 * 1.06), ("2025-06", "USA", "export", 10.6e9 * 1.06)]
    [error] = rejected(feed, "rev__vintage-2026-03-01.parquet", rows)
    assert error.rule == gates.REVISION and error.rows == [1]
    assert error.detail == (
        "WLD export 2025-06: 53,000,000,000 USD (vintage 2026-01-10, "
        f"{feed.root}/landing/{KCS}/history__vintage-2026-01-10.parquet row 16) -> 56,180,000,000 USD "
        "(vintage 2026-03-01, this file): +6.0 %, beyond the 5 % a world value may be revised"
    )
    feed.load("rev__vintage-2026-03-01.parquet", rows[1:])
    assert feed.value("USA", "2025-06")[-1] == (date(2026, 3, 1), 10.6e9 * 1.06)


def test_a_revision_within_the_tolerance_or_the_floor_is_accepted(feed):
    feed.load(
        "rev__vintage-2026-03-01.parquet",
        [("2025-06", "WLD", "export", 53e9 * 1.005), ("2025-06", "TON", "export", 3e6)],  # Tonga: +2 mn < floor
    )
    assert feed.value("WLD", "2025-06") == [(date(2026, 1, 10), pytest.approx(53e9)), (date(2026, 3, 1), 53e9 * 1.005)]


def by_rule(errors: list) -> dict:
    return {e.rule: e for e in errors}


def test_an_older_vintage_loaded_later_is_compared_with_the_newer(feed):
    errors = rejected(feed, "prelim__vintage-2025-07-01.parquet", [("2025-06", "WLD", "export", 53e6)])
    error = by_rule(errors)[gates.REVISION]  # (and the US value of the month exceeds this world total)
    assert error.detail.startswith("WLD export 2025-06: 53,000,000 USD (vintage 2025-07-01, this file) -> ")
    assert THOUSAND in error.detail  # this file's value against the later one


def test_a_declared_benchmark_revision_is_accepted_and_reported(feed):
    load = feed.load("rebased__vintage-2026-03-01__benchmark.parquet", [("2025-06", "WLD", "export", 53e9 * 1.3)])
    [line] = load.benchmark_revisions
    assert line.startswith(f"benchmark revision {feed.root}/landing/{KCS}/rebased__vintage-2026-03-01__benchmark")
    assert "accepted, 1 value(s) revised beyond the tolerance, largest WLD export 2025-06: 53,000,000,000 USD" in line
    assert "68,900,000,000 USD (vintage 2026-03-01, this file): +30.0 %" in line


def test_a_benchmark_revision_is_still_judged_for_plausibility(feed):
    errors = rejected(feed, "rebased__vintage-2026-03-01__benchmark.parquet", [("2025-12", "WLD", "export", 56e6)])
    assert gates.REVISION not in by_rule(errors) and THOUSAND in by_rule(errors)[PLAUSIBLE].detail


@pytest.mark.parametrize(
    "name, period, rule, says",
    [
        ("typo.parquet", "2031-01", "period not after the file's vintage", "period 2031-01 starts after the file's"),
        (
            "typo__vintage-2031-02-01.parquet",  # a declared vintage in the future: the day it arrived counts
            "2031-01",
            "period not after the file's vintage",
            f"period 2031-01 starts after the day the file arrived, {clock.today():%Y-%m-%d}",
        ),
        ("old.parquet", "1989-12", "period not before the feed's start (1990-01)", "period 1989-12 is before"),
    ],
)
def test_impossible_periods(feed, name, period, rule, says):
    [error] = rejected(feed, name, [(period, "USA", "export", 10e9)])
    assert error.rule == rule and error.rows == [1] and says in error.detail


def test_a_table_rule_blames_the_new_file_not_the_one_it_is_compared_with(feed):
    # A new, far too small world total: the US value of the history file now exceeds it. The rows that break the
    # rule are the history's, but the file to blame (and quarantine) is the new one.
    errors = rejected(feed, "world__vintage-2026-03-01.parquet", [("2025-06", "WLD", "export", 5e9)])
    assert {e.file for e in errors} == {f"{feed.root}/landing/{KCS}/world__vintage-2026-03-01.parquet"}
    world = next(e for e in errors if e.rule.startswith("a country's value never exceeds"))
    assert world.rows == [1] and f"[compared with {feed.root}/landing/{KCS}/history__vintage-2026-01-10" in world.detail


def test_a_warehouse_without_the_series_reads_its_files_again(feed):
    """A warehouse loaded before the series table existed (or under another series definition): the next load
    reads every file of the feed again, so the history is there to judge a new month, and no row is doubled."""
    feed.con.execute(f"DROP TABLE {series_table(SPEC)}")
    with pytest.raises(FeedRejected) as caught:
        feed.load("jan__vintage-2026-02-10.parquet", [("2026-01", "WLD", "export", 50.1e6)])
    [error] = caught.value.errors  # the history file was read again and passes; the new one is blamed
    assert error.rule == PLAUSIBLE and error.file.endswith("jan__vintage-2026-02-10.parquet")
    feed.load("jan__vintage-2026-02-10.parquet", [("2026-01", "WLD", "export", 50.1e9)])
    assert feed.con.execute(f"SELECT count(*) FROM raw.{KCS}").fetchone()[0] == len(HISTORY) + 1
    assert feed.con.execute(f"SELECT count(*) FROM {series_table(SPEC)}").fetchone()[0] == len(HISTORY) + 1


def test_blame_falls_back_to_the_rows_own_files_when_no_changed_file_is_involved():
    bad = pd.DataFrame(
        {"source_file": ["a.csv", "b.csv"], "source_row": [2, 3], "other_file": [None, "a.csv"], "other_row": [None, 4]}
    )
    assert [(e.file, e.rows) for e in blame("r", bad, changed={"c.csv"})] == [("a.csv", [2]), ("b.csv", [3])]
    assert [(e.file, e.rows) for e in blame("r", bad, changed={"a.csv"})] == [("a.csv", [2, 4])]


def test_the_synthetic_benchmark_feed_passes(tmp_path):
    """bench/generate_kcs_feed.py (HS-10 rows, no all-products rows): 25 years of history as a shipped sample,
    then the next month in landing, as `make bench` loads them."""
    spec = importlib.util.spec_from_file_location("gen", REPO / "bench" / "generate_kcs_feed.py")
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    history = gen.generate(tmp_path / "sample" / KCS / "synthetic.parquet", 300 * 260, months=300)
    new_month = gen.generate(tmp_path / "landing" / KCS / "synthetic_2025_01.parquet", 260, months=1, first_month=300)
    con = duckdb.connect()
    assert load_feed(SPEC, [history], con, tmp_path / "sample").rows == 300 * 260
    load = load_feed(SPEC, [history, new_month], con, tmp_path / "sample")
    assert load.months == [date(2025, 1, 1)] and load.rows == 301 * 260
    judged = con.execute(f"SELECT count(*) FROM {series_table(SPEC)} WHERE period = DATE '2025-01-01'").fetchone()
    assert judged[0] > 200  # every partner's month, aggregated over its products


# --- every feed, from its spec ---------------------------------------------------------------------------------


@pytest.mark.parametrize("feed_name", FEEDS)
def test_every_feed_declares_the_period_rule(feed_name):
    rules = [r.rule for r in gates.table_rules(FEEDS[feed_name])]
    assert gates.PERIOD_AFTER_VINTAGE in rules
    if FEEDS[feed_name].plausibility:
        assert gates.REVISION in rules


def annual_rules(rows: list[tuple], changed: str = "new.csv") -> list:
    """The generated rules of the KOSIS annual feed on raw rows (file, vintage, year, partner, flow, value)."""
    spec = FEEDS["kosis_annual_partner"]
    con = duckdb.connect()
    prepare(spec, con)
    frame = pd.DataFrame(rows, columns=["source_file", "vintage", "year", "partner_code", "flow", "value_usd"])
    frame["partner_kind"] = frame["partner_code"].map(partner_kinds())
    con.register("f", frame)
    con.execute(f"""INSERT INTO {parsed_table(spec)} SELECT year, partner_code, partner_kind, flow, value_usd,
        CAST(vintage AS DATE), source_file, row_number() OVER (PARTITION BY source_file) + 1, 'sha',
        TIMESTAMP '2026-12-01' FROM f""")
    con.execute(feed_view_sql(spec, con))
    con.execute(f"INSERT INTO {series_table(spec)} {gates.series_insert_sql(spec, f'raw.{spec.name}')}")
    placeholders = _placeholders(spec, FeedLoad(spec), [changed], [], con)
    return _table_rule_errors(spec, placeholders, {changed}, con)


ANNUAL_HISTORY = [
    ("kosis.csv", "2025-06-20", year, partner, "export", value * (1 + (year - 2018) / 10))
    for year in range(2018, 2024)
    for partner, value in (("WLD", 600e9), ("IRN", 4e9))
]


def test_annual_world_total_in_thousand_usd_and_a_revision_are_rejected_a_country_is_not_judged():
    errors = annual_rules(
        [
            *ANNUAL_HISTORY,
            ("new.csv", "2026-06-20", 2024, "WLD", "export", 690e6),  # thousand USD
            ("new.csv", "2026-06-20", 2024, "IRN", "export", 5e6),  # a real sanctions cliff looks like this
            ("new.csv", "2026-06-20", 2022, "WLD", "export", 900e9),  # +7 % on 840 bn
        ]
    )
    assert sorted(e.rule for e in errors) == [
        "new period plausible against the last 5 years",
        gates.REVISION,
    ]
    plausible = by_rule(errors)["new period plausible against the last 5 years"].detail
    assert plausible.startswith("WLD export 2024: 690,000,000 USD is 0.000885× the median of the 5 years before it")
    assert THOUSAND in plausible
    revision = by_rule(errors)[gates.REVISION].detail
    assert "(vintage 2026-06-20, this file): +7.1 %, beyond the 5 % a world value may be revised" in revision
    assert all(e.file == "new.csv" for e in errors)


def test_annual_history_of_the_sample_kind_passes():
    assert annual_rules([*ANNUAL_HISTORY, ("new.csv", "2026-06-20", 2024, "WLD", "export", 700e9)]) == []


# --- the benchmark flag ------------------------------------------------------------------------------------------


def test_benchmark_flag_in_the_name_or_in_vintages_csv(tmp_path):
    sample = tmp_path / "sample"
    (sample / KCS).mkdir(parents=True)
    (sample / "vintages.csv").write_text(
        "feed,file,vintage,basis,revision\n"
        f'{KCS},rebased.csv,2026-11-01,"the publisher\'s rebasing, announced",benchmark\n'
        f"{KCS},plain.csv,2026-11-02,a download,\n"
    )
    _manifest.cache_clear()
    assert is_benchmark(KCS, sample / KCS / "rebased.csv", sample)
    assert declared_vintage(KCS, sample / KCS / "rebased.csv", sample) == date(2026, 11, 1)
    assert not is_benchmark(KCS, sample / KCS / "plain.csv", sample)
    assert is_benchmark(KCS, tmp_path / "landing" / "x__vintage-2026-11-01__benchmark.csv", sample)
    assert not is_benchmark(KCS, tmp_path / "landing" / "x__benchmarks.csv", sample)


def test_the_shipped_vintages_csv_declares_no_benchmark_and_parses():
    _manifest.cache_clear()
    declared = _manifest(REPO / "data" / "sample")
    lines = (REPO / "data" / "sample" / "vintages.csv").read_text(encoding="utf-8").splitlines()
    assert len(declared) == len(lines) - 1 > 15 and not any(benchmark for _, benchmark in declared.values())


# --- the headline ------------------------------------------------------------------------------------------------


def test_the_headline_is_the_latest_period_with_both_the_us_and_china():
    con = duckdb.connect()
    con.execute("CREATE SCHEMA marts")
    con.execute("""CREATE TABLE marts.destination_share AS SELECT * FROM (VALUES
        ('month', DATE '2031-01-01', 'USA', 0.2), ('month', DATE '2024-12-01', 'USA', 0.194),
        ('month', DATE '2024-12-01', 'CHN', 0.192), ('year', DATE '2024-01-01', 'USA', 0.187),
        ('year', DATE '2024-01-01', 'CHN', 0.195), ('year', DATE '2025-01-01', 'CHN', NULL))
        AS t(frequency, period_start, partner_code, share)""")
    assert [(f, p.isoformat(), c) for f, p, c, _ in latest_us_china_shares(con)] == [
        ("month", "2024-12-01", "USA"),
        ("month", "2024-12-01", "CHN"),
        ("year", "2024-01-01", "USA"),
        ("year", "2024-01-01", "CHN"),
    ]


# --- end to end: the refresh on the published sample ---------------------------------------------------------


LONG = "period,partner_code,flow,value_usd\n"


def raw_values(warehouse: Path, month: str) -> list[tuple]:
    """Every partner and flow of a month as the published raw data hold it (latest vintage)."""
    with duckdb.connect(str(warehouse / "warehouse.duckdb"), read_only=True) as con:
        return con.execute(
            f"""SELECT partner_code, flow, arg_max(value_usd, vintage) FROM raw.{KCS}
            WHERE period = ? GROUP BY ALL ORDER BY ALL""",
            [date.fromisoformat(month + "-01")],
        ).fetchall()


def csv_of(month: str, values: list[tuple], scale: float = 1.0) -> str:
    return LONG + "".join(f"{month},{p},{f},{round(v * scale)}\n" for p, f, v in values)


def export_vintages(warehouse: Path, partner: str, month: str) -> list[tuple]:
    with duckdb.connect(str(warehouse / "serving.duckdb"), read_only=True) as con:
        return con.execute(
            """SELECT vintage, exports_usd, is_latest FROM marts.export_vintages
            WHERE partner_code = ? AND frequency = 'month' AND period_start = ? ORDER BY vintage""",
            [partner, date.fromisoformat(month + "-01")],
        ).fetchall()


def test_a_five_thousand_dollar_world_total_is_rejected(warehouse, monkeypatch):
    """The issue's parquet file: USA 1,000 and WLD 5,000 USD for 2025-01 (published world: 49.18 bn USD), arriving
    on 2026-12-07: the latest earlier vintage of both values is the compilation of 2026-12-02 (the ministry's
    revised monthly totals, KITA compilations)."""
    monkeypatch.setenv(clock.TODAY, "2026-12-07")
    con = duckdb.connect()
    path = warehouse / "landing" / KCS / "kcs_2025_01.parquet"
    path.parent.mkdir(parents=True)
    con.execute(f"""COPY (SELECT * FROM (VALUES ('2025-01', 'USA', 'export', 'TOTAL', 1000.0),
        ('2025-01', 'WLD', 'export', 'TOTAL', 5000.0)) AS t(period, partner_code, flow, hs_code, value_usd))
        TO '{path}' (FORMAT parquet)""")
    releases = "data/sample/kcs_monthly_partner/published_releases_2025_01_2026_02.csv"
    message = assert_rejected(
        warehouse,
        path,
        "landing/kcs_monthly_partner/kcs_2025_01.parquet",
        "revision within tolerance",
        f"WLD export 2025-01: 49,100,000,000 USD (vintage 2026-12-02, {releases} row 11) -> 5,000 USD "
        "(vintage 2026-12-07, this file): -100.0 %",
    )
    assert f"USA export 2025-01: 9,300,000,000 USD (vintage 2026-12-02, {releases} row 12) -> 1,000 USD" in message
    in_use = [row for row in export_vintages(warehouse, "WLD", "2025-01") if row[2]]
    assert in_use == [(date(2026, 8, 21), 49_176_984_042, True)]


def test_a_file_of_2031_is_rejected(warehouse):
    bad = drop(
        warehouse, KCS, "kcs_2031_01.csv", LONG + "2031-01,USA,export,12000000000\n2031-01,WLD,export,60000000000\n"
    )
    assert_rejected(
        warehouse, bad, "kcs_2031_01.csv", "period not after the file's vintage", "row(s) 2, 3", "period 2031-01"
    )


def test_a_december_in_thousand_usd_listing_every_partner_is_rejected_and_quarantined(warehouse):
    december = raw_values(warehouse, "2024-12")
    assert len(december) == 19  # the world and all nine markets, exports and imports
    bad = drop(warehouse, KCS, "kcs_2024_12_thousand.csv", csv_of("2024-12", december, 1 / 1000))
    message = assert_rejected(
        warehouse,
        bad,
        "landing/kcs_monthly_partner/kcs_2024_12_thousand.csv",
        "revision within tolerance",
        THOUSAND,
    )
    # the world rule fails too: blamed on the new file, the shipped rows named only as what it was compared with
    assert "kcs_2024_12_thousand.csv: rule 'a country's value never exceeds the world total" in message
    assert "trade_region_2021_08_2026_07.csv: rule" not in message
    _, reason = quarantined(warehouse, KCS, bad.name)
    assert {f["rule"] for f in reason["failures"]} >= {gates.REVISION}
    # that the next refresh publishes again: tests/test_gates.py::test_after_quarantine_the_next_good_file_is_processed


def test_a_new_month_in_thousand_usd_is_rejected_and_quarantined(warehouse):
    # 2026-08 for the nine partners (their history ends 2026-07), as a file in thousand USD
    nine = {"USA", "CHN", "JPN", "IND", "ASEAN", "EU27", "LATAM", "MIDDLE_EAST", "CIS"}
    august = [(p, f, v) for p, f, v in raw_values(warehouse, "2026-07") if p in nine]
    assert len(august) == 18
    bad = drop(warehouse, KCS, "kcs_2026_08_thousand.csv", csv_of("2026-08", august, 1 / 1000))
    assert_rejected(warehouse, bad, "landing/kcs_monthly_partner/kcs_2026_08_thousand.csv", PLAUSIBLE, THOUSAND)


def test_a_revision_of_half_a_percent_is_published_as_the_latest_vintage(published, republished):
    """The world in 2024-12 revised by +0.5 % (republished.WORLD_REVISION_2024_12): within the tolerance."""
    [(_, first, _)] = export_vintages(published, "WLD", "2024-12")
    assert export_vintages(republished.root, "WLD", "2024-12") == [
        (date(2026, 8, 21), first, False),
        (date(2026, 11, 16), round(first * 1.005), True),
    ]


def test_a_declared_benchmark_revision_of_30_percent_is_published_and_reported(warehouse, monkeypatch, capsys):
    """A refresh of its own: a 30 % revision widens the revision noise every lead is judged against
    (int_revision_noise), which would change other tests' facts in the shared second publication."""
    from orchestration import cli

    [(_, first, _)] = export_vintages(warehouse, "WLD", "2024-12")
    name = "kcs_2024_12__vintage-2026-11-16__benchmark.csv"
    drop(warehouse, KCS, name, LONG + f"2024-12,WLD,export,{round(first * 1.3)}\n")
    monkeypatch.setenv("WAREHOUSE_DIR", str(warehouse))
    assert cli.main(["refresh"]) == 0
    out = capsys.readouterr().out.splitlines()
    [line] = [x for x in out if x.startswith("benchmark revision ")]
    assert line.startswith(f"benchmark revision {warehouse}/landing/{KCS}/{name}: accepted, 1 value(s) revised")
    assert f"{first:,.0f} USD (vintage 2026-08-21" in line and "+30.0 %" in line
    assert export_vintages(warehouse, "WLD", "2024-12")[-1] == (date(2026, 11, 16), round(first * 1.3), True)


def test_a_derived_figure_dated_before_the_release_it_needs_is_refused(feed):
    """January from a January-February cumulative exists once February's cumulative is out (March): a vintage of
    2024-02-01 is a date the figure never had. Dated 2024-03-01, the same row loads."""
    header = "period,partner_code,flow,value_usd,release,value_basis\n"
    row = "2025-01,USA,export,10250000000,other,derived from a cumulative\n"
    early = feed.root / "landing" / KCS / "cumulative_minus_february__vintage-2025-02-01.csv"
    early.write_text(header + row, encoding="utf-8")
    with pytest.raises(FeedRejected) as caught:
        load_feed(SPEC, [*feed.files, early], feed.con, feed.root / "sample")
    [error] = [e for e in caught.value.errors if e.rule == "a derived figure is not dated before the release it needs"]
    assert error.file == str(early) and error.rows == [2]
    assert error.detail.endswith(
        "value derived from a cumulative for 2025-01 dated 2025-02-01: the cumulative through 2025-02 it needs is out "
        "at the earliest on 2025-03-01"
    )
    early.unlink()
    later = early.with_name("cumulative_minus_february__vintage-2025-03-01.csv")
    later.write_text(header + row, encoding="utf-8")
    load_feed(SPEC, [*feed.files, later], feed.con, feed.root / "sample")
    assert (date(2025, 3, 1), 10.25e9) in feed.value("USA", "2025-01")
