"""Each feed against its release calendar (orchestration/freshness.py): the calendar arithmetic, the shipped data on
2026-12-07 (every feed that is behind, and by how much), a feed that is fresh the day after its release, a feed
without a calendar; the non-blocking check, the summary, the report page and the schedule."""

from datetime import date

import dagster as dg
import pandas as pd
import pytest

from orchestration import cli, clock, freshness
from orchestration.defs.automation import monthly_refresh
from orchestration.defs.raw import RAW_ASSETS, freshness_result
from orchestration.feeds import FEEDS
from orchestration.settings import SAMPLE_DIR, WarehousePaths
from tests.helpers import resource

KCS = FEEDS["kcs_monthly_partner"]
FINAL = next(s for s in KCS.calendar if s.name == "final statistics by country")
DOTS = next(s for s in FEEDS["partner_reported_trade"].calendar if s.frequency == "year")


def test_a_month_is_due_its_lag_after_it_ends():
    # customs' final figures of a month: the 15th of the next month
    assert freshness.due(date(2026, 10, 1), FINAL) == date(2026, 11, 15)
    assert freshness.expected_period(FINAL, date(2026, 11, 15)) == date(2026, 10, 1)
    assert freshness.expected_period(FINAL, date(2026, 11, 14)) == date(2026, 9, 1)
    assert freshness.expected_period(FINAL, date(2027, 1, 15)) == date(2026, 12, 1)  # across a year
    # a year of DOTS: 120 days after 31 December
    assert freshness.due(date(2025, 1, 1), DOTS) == date(2026, 4, 30)
    assert freshness.expected_period(DOTS, date(2026, 4, 29)) == date(2024, 1, 1)


@pytest.mark.parametrize(
    ("latest", "today", "status", "behind"),
    [
        (date(2026, 10, 1), date(2026, 11, 20), "fresh", 0),
        (date(2026, 11, 1), date(2026, 11, 20), "fresh", 0),  # ahead of the calendar is fresh
        (date(2026, 9, 1), date(2026, 11, 22), "within grace", 1),  # 2026-10 due 11-15, 7 days of grace
        (date(2026, 9, 1), date(2026, 11, 23), "behind", 1),
        (date(2026, 8, 1), date(2026, 11, 23), "behind", 2),
        (date(2026, 7, 1), date(2026, 12, 7), "far behind", 3),
        (None, date(2026, 12, 7), "no data", None),
    ],
)
def test_statuses(latest, today, status, behind):
    judged = freshness.assess("kcs_monthly_partner", FINAL, latest, today)
    assert (judged.status, judged.periods_behind) == (status, behind)


def test_a_feed_without_a_calendar_says_so():
    row = freshness.of_feed(FEEDS["published_figures"], None, date(2026, 12, 7))
    assert [(r.status, r.release) for r in row] == [("no calendar", None)]
    assert row[0].line() == "published_figures: no release calendar declared"


def test_the_check_warns_when_behind_fails_when_far_behind_and_never_blocks():
    day = date(2026, 12, 7)
    behind = freshness_result([freshness.assess("f", FINAL, date(2026, 9, 1), day)])
    far = freshness_result([freshness.assess("f", FINAL, date(2026, 7, 1), day)])
    fresh = freshness_result([freshness.assess("f", FINAL, date(2026, 10, 1), day)])
    assert (behind.passed, behind.severity) == (False, dg.AssetCheckSeverity.WARN)
    assert (far.passed, far.severity) == (False, dg.AssetCheckSeverity.ERROR)
    assert fresh.passed
    specs = {a.key.path[-1]: {s.name: s.blocking for s in a.check_specs} for a in RAW_ASSETS}
    assert specs["kcs_monthly_partner"][freshness.CHECK] is False
    assert freshness.CHECK not in specs["published_figures"]  # no calendar, no check


def shipped_latest_country_month() -> date:
    """The latest month of the shipped customs statistics by country, read from the file itself."""
    frame = pd.read_csv(SAMPLE_DIR / "kcs_monthly_partner" / "country_trade_2025_01_2026_07.csv", dtype=str)
    return pd.Timestamp(frame["기준월"].max() + "-01").date()


def test_the_published_mart_holds_the_shipped_latest_periods(serving):
    rows = {
        (feed, release): latest
        for feed, release, latest in serving.execute(
            "SELECT feed, release, latest_period FROM marts.feed_freshness"
        ).fetchall()
    }
    assert rows[(KCS.name, FINAL.name)] == shipped_latest_country_month() == date(2026, 7, 1)
    assert rows[("kcs_product_partner", "HS 8542 by country")] == date(2026, 8, 1)  # the file runs to 2026-08
    assert rows[("kosis_annual_partner", "annual trade by partner")] == date(2023, 1, 1)
    assert rows[("published_figures", None)] is None
    assert serving.execute("SELECT DISTINCT as_of FROM marts.feed_freshness").fetchall() == [(clock.today(),)]


# On 2026-12-07, with the shipped files: what each publisher should have out, and how far behind the data are.
BEHIND_ON_2026_12_07 = [
    "kcs_monthly_partner, final statistics by country: latest 2026-07; should have 2026-10 since 2026-11-15"
    " — 3 months behind (far behind)",
    "kcs_monthly_partner, preliminary world total: latest 2026-09; should have 2026-11 since 2026-12-01"
    " — 2 months behind (behind)",
    "kcs_product_partner, HS 8542 by country: latest 2026-08; should have 2026-09 since 2026-11-11"
    " — 1 month behind (behind)",
    "kosis_annual_partner, annual trade by partner: latest 2023; should have 2025 since 2026-02-28"
    " — 2 years behind (far behind)",
    "partner_reported_trade, US imports from Korea (FT-900): latest 2025-07; should have 2026-09 since 2026-11-09"
    " — 14 months behind (far behind)",
    "partner_reported_trade, direction of trade, annual: latest 2020; should have 2025 since 2026-04-30"
    " — 5 years behind (far behind)",
]


def test_the_summary_names_every_feed_behind_on_2026_12_07(warehouse, monkeypatch):
    monkeypatch.setenv(clock.TODAY, "2026-12-07")
    lines = cli.summary(WarehousePaths(warehouse)).splitlines()
    start = lines.index("behind its release calendar on 2026-12-07 (marts.feed_freshness):")
    assert [line.strip() for line in lines[start + 1 : start + 1 + len(BEHIND_ON_2026_12_07)]] == sorted(
        BEHIND_ON_2026_12_07
    )
    assert not any(line.strip().startswith("firm_size_exports") for line in lines)  # MSS and TEC: 2025 is out


def test_the_day_after_its_release_the_month_held_is_fresh(warehouse, monkeypatch):
    # the shipped files hold 2026-07; customs' final figures of 2026-07 were due on 2026-08-15
    monkeypatch.setenv(clock.TODAY, "2026-08-16")
    summary = cli.summary(WarehousePaths(warehouse))
    assert "final statistics by country" not in summary
    with_day = freshness.reassessed([(KCS.name, FINAL.name, shipped_latest_country_month())], date(2026, 8, 16))
    assert [f.status for f in with_day] == ["fresh"]
    # a month later, 2026-08 due on 2026-09-15 and not there: behind once its 7 days of grace are over
    later = freshness.reassessed([(KCS.name, FINAL.name, shipped_latest_country_month())], date(2026, 9, 23))
    assert [(f.status, f.periods_behind) for f in later] == [("behind", 1)]


def test_the_report_page_flags_the_stale_headlines(published):
    page = (published / "reports" / "index.html").read_text(encoding="utf-8")
    assert "Data to 2026-07: final statistics by country" in page
    assert '<table id="freshness">' in page and "<h2>Is this the latest?</h2>" in page
    stale = freshness.stale([(KCS.name, FINAL.name, shipped_latest_country_month())], clock.today())
    assert ('<span class="flag">Stale:' in page.split("<h3>")[0]) == bool(stale)


def test_the_schedule_says_which_releases_it_waits_for(warehouse, monkeypatch):
    monkeypatch.setenv(clock.TODAY, "2026-12-07")
    tick = monthly_refresh.evaluate_tick(dg.build_schedule_context(resources={"warehouse": resource(warehouse)}))
    assert tick.run_requests == []
    assert tick.skip_message.startswith("nothing changed since the last publication; still waiting for ")
    assert "kcs_monthly_partner final statistics by country 2026-10 (due 2026-11-15)" in tick.skip_message
    assert "firm_size_exports" not in tick.skip_message
