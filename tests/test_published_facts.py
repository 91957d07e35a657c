"""Facts the real sample data must reproduce, read from serving.duckdb as a BI tool would."""

import csv
from datetime import date
from pathlib import Path

import duckdb
import pytest

PUBLISHED = Path(__file__).parents[1] / "data" / "published" / "korea_exports_us_china_published_2003_2024.csv"
ITEMS = Path(__file__).parents[1] / "data" / "published" / "releases_2025_2026" / "major_items_monthly_2025_2026.csv"


def share(serving, frequency: str, start: str, partner: str) -> float:
    row = serving.execute(
        "SELECT share FROM marts.destination_share WHERE frequency = ? AND period_start = ? AND partner_code = ?",
        [frequency, start, partner],
    ).fetchone()
    assert row is not None, f"no {frequency} row for {partner} at {start}"
    return row[0] * 100


@pytest.mark.parametrize(
    "frequency,start,partner,expected_pct",
    [
        ("year", "2023-01-01", "USA", 18.3),
        ("year", "2023-01-01", "CHN", 19.7),
        ("month", "2023-12-01", "USA", 19.6),
        ("month", "2023-12-01", "CHN", 18.9),
    ],
)
def test_shares_match_published_headlines(serving, frequency, start, partner, expected_pct):
    assert share(serving, frequency, start, partner) == pytest.approx(expected_pct, abs=0.05)


def crossover(serving, frequency: str, start: str, leader: str, trailer: str):
    return serving.execute(
        """SELECT previous_lead_start, periods_since, margin_usd FROM marts.destination_crossovers
        WHERE frequency = ? AND period_start = ? AND leader_code = ? AND trailer_code = ?""",
        [frequency, start, leader, trailer],
    ).fetchone()


def test_monthly_us_over_china_december_2023_first_since_june_2003(serving):
    previous, periods, margin = crossover(serving, "month", "2023-12-01", "USA", "CHN")
    assert previous == date(2003, 6, 1)
    assert periods == 246
    assert margin / 1e9 == pytest.approx(11.281 - 10.864, abs=0.005)


def test_quarterly_us_over_china_2024_q1_first_since_2003_q2(serving):
    previous, periods, margin = crossover(serving, "quarter", "2024-01-01", "USA", "CHN")
    assert previous == date(2003, 4, 1)
    assert periods == 83
    # ~0.08 bn: within revision noise by our own measure, int_revision_noise (the largest revision of a monthly
    # export figure from its first published release to the one in use): destination_crossovers marks it fragile
    assert 0 < margin < 0.2e9


def test_crossovers_are_tracked_in_both_directions(serving):
    china_back = crossover(serving, "month", "2024-01-01", "CHN", "USA")
    assert china_back is not None and china_back[0] == date(2023, 11, 1)


def test_no_annual_us_lead_over_china_2003_to_2024(serving):
    rows = serving.execute("""
        SELECT year(us.period_start), us.exports_usd > cn.exports_usd
        FROM marts.destination_share us
        JOIN marts.destination_share cn USING (frequency, period_start)
        WHERE us.frequency = 'year' AND us.partner_code = 'USA' AND cn.partner_code = 'CHN'
          AND year(us.period_start) BETWEEN 2003 AND 2024""").fetchall()
    assert sorted(y for y, _ in rows) == list(range(2003, 2025))  # every year is there
    assert not any(us_leads for _, us_leads in rows)
    assert crossover(serving, "year", "2003-01-01", "CHN", "USA") is not None  # China took the lead in 2003


def test_sme_exports_to_us_above_china_in_2024(serving):
    # MSS's release of 2025-01-23 (dated by Chosun, mss_sme_exports_releases.csv), to the digits economyf printed
    rows = dict(
        serving.execute("""SELECT destination_code, exports_usd FROM marts.sme_participation
        WHERE year = 2024 AND firm_size = 'sme' AND source = 'MSS'""").fetchall()
    )
    assert rows["USA"] / 1e9 == pytest.approx(18.74, abs=0.005)
    assert rows["CHN"] / 1e9 == pytest.approx(18.39, abs=0.005)
    assert rows["USA"] > rows["CHN"]
    dated = dict(
        serving.execute("""SELECT destination_code, release_date FROM marts.sme_participation
        WHERE year = 2024 AND firm_size = 'sme' AND source = 'MSS' AND destination_code IN ('USA', 'CHN')""").fetchall()
    )
    assert dated == {"USA": date(2025, 1, 23), "CHN": date(2025, 1, 23)}


def test_sme_share_of_firm_size_uses_the_same_source(serving):
    share_us, basis = serving.execute("""SELECT share_of_firm_size, share_of_firm_size_basis
        FROM marts.sme_participation
        WHERE year = 2024 AND firm_size = 'sme' AND destination_code = 'USA' AND source = 'MSS'""").fetchone()
    assert basis == "same source"
    assert share_us == pytest.approx(18.74 / 115.1, abs=1e-4)  # both from the release of 2025-01-23


def typed_items() -> list[dict]:
    with ITEMS.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_semiconductor_exports_of_a_month_as_released(serving):
    """August 2025: 151억 USD of semiconductors (the ministry's MTI item) in the release of 2025-09-01."""
    [typed] = [
        r
        for r in typed_items()
        if (r["period"], r["item"], r["destination_code"]) == ("2025-08", "semiconductors", "WLD")
    ]
    served = serving.execute("""SELECT value, release_date, frequency, classification, release_type
        FROM marts.published_export_items WHERE item = 'semiconductors' AND period = '2025-08' AND metric = 'value'
          AND partner_code = 'WLD'""").fetchall()
    assert served == [(float(typed["value_usd_mn"]) * 1e6, date.fromisoformat(typed["release_date"]), "month", "MTI",
                       "preliminary")]  # fmt: skip
    assert served[0][0] == 15.1e9


def test_ministry_and_customs_items_stay_apart(serving):
    """2025: semiconductors 1,734억 (MTI) and 1,753억 (KCS) are two classifications, MOTIE's automobiles (720억) and
    customs' passenger cars (685억) two items: four figures, none a sum or a mix of the others."""
    expected = sorted(
        (r["item"], "KCS" if r["publisher"].startswith("KCS") else "MTI", float(r["value_usd_mn"]) * 1e6)
        for r in typed_items()
        if r["period"] == "2025" and r["destination_code"] == "WLD" and r["value_usd_mn"]
    )
    served = serving.execute("""SELECT item, classification, value FROM marts.published_export_items
        WHERE frequency = 'year' AND metric = 'value' AND partner_code = 'WLD' ORDER BY ALL""").fetchall()
    assert (
        served
        == expected
        == [
            ("automobiles", "MTI", 72.0e9),
            ("passenger_cars_kcs", "KCS", 68.5e9),
            ("semiconductors", "KCS", 175.3e9),
            ("semiconductors", "MTI", 173.4e9),
        ]
    )


def test_partial_and_cumulative_item_figures_are_no_months(serving):
    """US-bound chips and cars of 1-25 November 2025 and cars of January-November 2025: flagged, never a month."""
    partial = sum(r["note"].startswith("PARTIAL MONTH") for r in typed_items())
    cumulative = sum(r["note"].startswith("CUMULATIVE") for r in typed_items())
    rows = serving.execute("""SELECT frequency, period_start, period_end, count(*) FROM marts.published_export_items
        WHERE frequency NOT IN ('month', 'year') GROUP BY ALL ORDER BY ALL""").fetchall()
    # each typed row is a value and a growth rate
    assert rows == [
        ("cumulative", date(2025, 1, 1), date(2025, 11, 30), 2 * cumulative),
        ("partial month", date(2025, 11, 1), date(2025, 11, 25), 2 * partial),
    ]
    us_months = serving.execute("""SELECT count(*) FROM marts.published_export_items
        WHERE partner_code = 'USA' AND frequency = 'month'""").fetchone()[0]
    assert (partial, cumulative, us_months) == (2, 1, 0)


def test_reported_published_figures_reconcile_within_one_percent(serving):
    """Press figures (preliminary) vs the revised KCS data: every `reported` value within 1 %."""
    checked = 0
    with PUBLISHED.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["value_basis"] != "reported" or row["period_type"] not in ("month", "quarter", "year"):
                continue
            period, frequency = row["period"], row["period_type"]
            if frequency == "quarter":
                year, quarter = period.split("-Q")
                start = f"{year}-{(int(quarter) - 1) * 3 + 1:02d}-01"
            else:
                start = period + ("-01" if frequency == "month" else "-01-01")
            for partner, column in (
                ("USA", "us_exports_usd_bn"),
                ("CHN", "china_exports_usd_bn"),
                ("WLD", "total_exports_usd_bn"),
            ):
                if row[column]:
                    ours = serving.execute(
                        """SELECT exports_usd FROM marts.destination_share
                        WHERE frequency = ? AND period_start = ? AND partner_code = ?""",
                        [frequency, start, partner],
                    ).fetchone()[0]
                    assert ours / 1e9 == pytest.approx(float(row[column]), rel=0.01), (period, partner)
                    checked += 1
    assert checked >= 20


def test_quarters_and_years_are_sums_of_months(serving):
    bad = serving.execute("""
        WITH m AS (SELECT partner_code, date_trunc('quarter', period_start) AS q, sum(exports_usd) AS total,
                          count(*) AS n
                   FROM marts.destination_share WHERE frequency = 'month' GROUP BY ALL)
        SELECT count(*) FILTER (WHERE abs(q.exports_usd - m.total) > 1), count(*)
        FROM marts.destination_share q JOIN m ON m.partner_code = q.partner_code AND m.q = q.period_start
        WHERE q.frequency = 'quarter'""").fetchone()
    assert bad[0] == 0 and bad[1] > 100


def test_incomplete_periods_are_not_published(serving):
    """World exports run to 2026-09 (final to 2026-07, customs' provisional totals for August and September): the
    year 2026 is incomplete and must be absent; 2026-Q3 is complete (on preliminary figures for two months)."""
    rows = serving.execute("""SELECT frequency, max(period_start) FROM marts.destination_share
        WHERE partner_code = 'WLD' GROUP BY 1 ORDER BY 1""").fetchall()
    assert dict(rows) == {"month": date(2026, 9, 1), "quarter": date(2026, 7, 1), "year": date(2025, 1, 1)}
    # partners run to 2026-07: no partner has 2026-Q3
    assert serving.execute("""SELECT count(*) FROM marts.destination_share WHERE partner_code <> 'WLD'
        AND frequency = 'quarter' AND period_start = DATE '2026-07-01'""").fetchone() == (0,)


def test_kosis_annual_agrees_with_monthly_sums(published):
    """Two independent feeds: KOSIS annual values equal the sums of KCS months (thousand-USD rounding)."""
    with duckdb.connect(str(published / "warehouse.duckdb"), read_only=True) as con:
        worst = con.execute("""
            SELECT max(abs(k.value_usd - m.total)), count(*)
            FROM raw.kosis_annual_partner k
            JOIN (SELECT year(period) AS year, partner_code, sum(value_usd) AS total
                  FROM intermediate.int_monthly_partner_trade WHERE flow = 'export'
                  GROUP BY ALL HAVING count(*) = 12) m USING (year, partner_code)
            WHERE k.flow = 'export'""").fetchone()
    assert worst[1] >= 100
    assert worst[0] <= 12 * 1000


def test_every_served_column_is_described(serving):
    undocumented = serving.execute("""SELECT table_name, column_name FROM duckdb_columns()
        WHERE schema_name = 'marts' AND (comment IS NULL OR comment = '')""").fetchall()
    assert undocumented == []
    tables = {
        t for (t,) in serving.execute("SELECT table_name FROM duckdb_tables() WHERE schema_name = 'marts'").fetchall()
    }
    marts = {"destination_share", "destination_crossovers", "sme_participation", "sme_export_vintages"}
    assert marts | {"_publication"} <= tables


def test_serving_file_is_read_only_for_bi(published):
    with (
        duckdb.connect(str(published / "serving.duckdb"), read_only=True) as con,
        pytest.raises(duckdb.InvalidInputException, match="read-only"),
    ):
        con.execute("DELETE FROM marts.destination_share")
