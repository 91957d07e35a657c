"""Revisions add vintages instead of overwriting; marts use the latest; export_vintages answers
"what did the data say on date D"; crossovers within revision noise are flagged fragile."""

from datetime import date

import duckdb
import pytest

AS_OF = """SELECT exports_usd FROM marts.export_vintages WHERE partner_code = ? AND period_start = ?
           AND valid_from <= ? AND (valid_to IS NULL OR valid_to > ?)"""


def as_of(serving, partner: str, month: str, day: str) -> float | None:
    row = serving.execute(AS_OF, [partner, month, day, day]).fetchone()
    return row[0] if row else None


def test_every_raw_row_carries_its_vintage(published):
    with duckdb.connect(str(published / "warehouse.duckdb"), read_only=True) as con:
        for feed in (
            "kcs_monthly_partner",
            "kosis_annual_partner",
            "firm_size_exports",
            "kcs_product_partner",
            "partner_reported_trade",
        ):
            assert con.execute(f"SELECT count(*) FROM raw.{feed} WHERE vintage IS NULL").fetchone()[0] == 0
        vintages = dict(
            con.execute("""SELECT source_file, any_value(vintage) FROM raw.kcs_monthly_partner
            GROUP BY 1""").fetchall()
        )
    preliminary = "data/sample/kcs_monthly_partner/motie_preliminary_2024_03__vintage-2024-04-01.csv"
    assert vintages[preliminary] == date(2024, 4, 1)
    assert vintages["data/sample/kcs_monthly_partner/trade_region_2021_08_2026_07.csv"] == date(2026, 8, 31)


def test_as_of_a_date_shows_what_was_known_then(serving):
    # MOTIE's preliminary March 2024 figure (released 2024-04-01) and the later revised KCS figure
    assert as_of(serving, "USA", "2024-03-01", "2024-04-15") == pytest.approx(10.91e9)
    assert as_of(serving, "USA", "2024-03-01", "2026-11-01") == pytest.approx(10_880_792_519)
    assert as_of(serving, "USA", "2024-03-01", "2024-03-15") is None  # not yet published
    latest = serving.execute("""SELECT exports_usd FROM marts.destination_share WHERE partner_code = 'USA'
        AND frequency = 'month' AND period_start = DATE '2024-03-01'""").fetchone()[0]
    assert latest == pytest.approx(10_880_792_519)  # marts use the latest vintage


def test_q1_2024_crossover_is_fragile_december_2023_is_not(serving):
    rows = dict(
        serving.execute("""SELECT frequency || ' ' || strftime(period_start, '%Y-%m'), fragile
        FROM marts.destination_crossovers WHERE leader_code = 'USA' AND trailer_code = 'CHN'""").fetchall()
    )
    assert rows["quarter 2024-01"] is True  # margin ~0.08 bn, within the revisions seen (up to 1.13 %)
    assert rows["month 2023-12"] is False  # margin ~0.42 bn


def test_a_revision_adds_a_vintage_and_wins(republished):
    """A revision of the US in 2024-12 (republished.US_REVISION_2024_12, 11.9 bn USD, vintage 2026-10-15)."""
    with duckdb.connect(str(republished.root / "serving.duckdb"), read_only=True) as con:
        latest = con.execute("""SELECT exports_usd FROM marts.destination_share WHERE partner_code = 'USA'
            AND frequency = 'month' AND period_start = DATE '2024-12-01'""").fetchone()[0]
        history = con.execute("""SELECT vintage, exports_usd, is_latest FROM marts.export_vintages
            WHERE partner_code = 'USA' AND period_start = DATE '2024-12-01' ORDER BY vintage""").fetchall()
    assert latest == 11.9e9
    assert history == [(date(2026, 8, 31), pytest.approx(11_893_820_362), False), (date(2026, 10, 15), 11.9e9, True)]


def test_a_crossover_removed_by_a_later_vintage_is_kept_as_fragile(republished):
    """A (hypothetical) later revision puts US exports in 2024-02 below China's 9.64 bn (9.5 bn USD,
    republished.US_REVISION_2024_02): the first-release crossover of 2024-02 (9.80 vs 9.65) no longer holds."""
    with duckdb.connect(str(republished.root / "serving.duckdb"), read_only=True) as con:
        rows = con.execute("""SELECT status, fragile, leader_exports_usd FROM marts.destination_crossovers
            WHERE frequency = 'month' AND period_start = DATE '2024-02-01'
              AND leader_code = 'USA' AND trailer_code = 'CHN'""").fetchall()
    assert rows == [("removed by a later vintage", True, 9.8e9)]
