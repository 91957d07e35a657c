"""The analysts' questions, answered from serving.duckdb and checked against the shipped files."""

import csv
import math
from collections import defaultdict
from pathlib import Path

import pytest

SAMPLE = Path(__file__).parents[1] / "data" / "sample"
NINE_MARKETS = SAMPLE / "kcs_monthly_partner" / "trade_region_2021_08_2026_07.csv"
TOP5 = SAMPLE / "kcs_monthly_partner" / "kcs_top5_partners_monthly_2000_2021.csv"
HS8542 = SAMPLE / "kcs_product_partner" / "kcs_hs8542_by_country_monthly_2020_2026_08.csv"
FRED = SAMPLE / "partner_reported_trade" / "us_imports_from_korea_monthly_2020_2025.csv"
KOSIS = SAMPLE / "kosis_annual_partner" / "kosis_trade_by_partner_annual_1949_2023.csv"


def rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def korea_exports_to_us_by_year() -> dict[int, float]:
    """Korea's exports to the US per year, straight from the two monthly files."""
    by_month = {r["Date"]: float(r["export_USA"]) for r in rows(TOP5)}
    by_month |= {r["period"]: float(r["export_usd"]) for r in rows(NINE_MARKETS) if r["region_code"] == "US"}
    totals = defaultdict(float)
    for month, value in by_month.items():
        totals[int(month[:4])] += value
    return totals


def test_semiconductor_share_of_exports_to_the_us(serving):
    semis = defaultdict(float)
    for r in rows(HS8542):
        if r["국가코드"] == "US":
            semis[int(r["월"][:4])] += float(r["수출금액_USD"])
    totals = korea_exports_to_us_by_year()
    served = dict(
        serving.execute("""
        SELECT year(period_start), share_of_partner_exports FROM marts.product_composition
        WHERE partner_code = 'USA' AND frequency = 'year' AND product_group = 'semiconductors (HS 8542)'""").fetchall()
    )
    assert sorted(served) == [2020, 2021, 2022, 2023, 2024, 2025]  # 2026 is incomplete
    for year, share in served.items():
        assert share == pytest.approx(semis[year] / totals[year], rel=1e-9), year


def test_surplus_with_the_us_2022_to_2024(serving):
    expected = defaultdict(float)
    for r in rows(NINE_MARKETS):
        if r["region_code"] == "US" and r["period"][:4] in ("2022", "2023", "2024"):
            expected[int(r["period"][:4])] += float(r["export_usd"]) - float(r["import_usd"])
    served = dict(
        serving.execute("""SELECT year(period_start), balance_usd FROM marts.trade_balance
        WHERE partner_code = 'USA' AND frequency = 'year' AND year(period_start) BETWEEN 2022 AND 2024""").fetchall()
    )
    assert served == {y: pytest.approx(v, abs=1) for y, v in expected.items()}
    assert [round(served[y] / 1e9, 1) for y in (2022, 2023, 2024)] == [28.0, 44.4, 55.6]


def test_us_surplus_is_watched(serving):
    flags = dict(
        serving.execute("""SELECT year(period_start), watch_flag FROM marts.trade_balance
        WHERE partner_code = 'USA' AND frequency = 'year' AND year(period_start) IN (2019, 2023)""").fetchall()
    )
    assert flags == {2019: "none", 2023: "surplus above threshold and growing fast"}
    other = serving.execute(
        "SELECT count(*) FROM marts.trade_balance WHERE partner_code = 'CHN' AND watch_flag IS NOT NULL"
    ).fetchone()[0]
    assert other == 0


def test_us_reported_imports_next_to_korean_exports_2020_to_2024(serving):
    us_imports = defaultdict(float)
    for r in rows(FRED):
        us_imports[int(r["date"][:4])] += float(r["korea_imports"]) * 1e6
    korea = korea_exports_to_us_by_year()
    served = {
        y: (x, m, g)
        for y, x, m, g in serving.execute("""
        SELECT year(period_start), reporter_exports_usd, partner_imports_usd, log_gap FROM marts.mirror_gap
        WHERE partner_code = 'USA' AND frequency = 'year' AND partner_source = 'US_CENSUS_FRED'""").fetchall()
    }
    assert sorted(served) == [2020, 2021, 2022, 2023, 2024]  # 2025 is incomplete in the file
    for year, (exports, imports, log_gap) in served.items():
        assert exports == pytest.approx(korea[year], abs=1)
        assert imports == pytest.approx(us_imports[year], rel=1e-9)
        assert log_gap == pytest.approx(math.log(us_imports[year] / korea[year]), abs=1e-9)
    assert served[2024][1] / 1e9 == pytest.approx(131.6, abs=0.05)


def test_imf_dots_mirror_for_the_us_and_china(serving):
    sources = dict(
        serving.execute("""SELECT partner_code, count(*) FROM marts.mirror_gap
        WHERE partner_source = 'IMF_DOTS' AND frequency = 'year' GROUP BY 1""").fetchall()
    )
    assert sources.get("USA", 0) >= 50 and sources.get("CHN", 0) >= 25


def test_destination_hhi_matches_kosis(serving):
    kosis = [r for r in rows(KOSIS) if r["year"] == "2023" and r["export_kosis"] not in ("", "NA")]
    world = float(kosis[0]["total_export"])
    expected = sum((float(r["export_kosis"]) / world) ** 2 for r in kosis)
    hhi, hhi_10000, partners, n = serving.execute("""SELECT hhi, hhi_10000, equivalent_partners, n_partners
        FROM marts.concentration WHERE frequency = 'year' AND period_start = DATE '2023-01-01'""").fetchone()
    assert hhi == pytest.approx(expected, abs=1e-6)
    assert hhi_10000 == pytest.approx(expected * 10000, abs=0.01)
    assert partners == pytest.approx(1 / expected, rel=1e-4)
    assert n == len(kosis)
    years = serving.execute("SELECT count(*) FROM marts.concentration WHERE frequency = 'year'").fetchone()[0]
    assert years >= 50


def test_asean_is_summed_from_members_by_accession_date(serving):
    kosis = {
        (r["iso3c"], r["year"]): float(r["export_kosis"]) for r in rows(KOSIS) if r["export_kosis"] not in ("", "NA")
    }
    served = dict(
        serving.execute("""SELECT year(period_start), exports_usd FROM marts.destination_share
        WHERE partner_code = 'ASEAN' AND frequency = 'year' AND year(period_start) IN (1994, 2019)""").fetchall()
    )
    founders_and_brunei = ["IDN", "MYS", "PHL", "SGP", "THA", "BRN"]
    assert served[1994] == pytest.approx(sum(kosis.get((c, "1994"), 0) for c in founders_and_brunei), abs=1)
    all_ten = founders_and_brunei + ["VNM", "LAO", "MMR", "KHM"]
    # VNM comes from the monthly file in 2019; it equals KOSIS (see test_kosis_annual_agrees_with_monthly_sums)
    assert served[2019] == pytest.approx(sum(kosis[(c, "2019")] for c in all_ten), abs=12_000)


def test_china_plus_hong_kong(serving):
    cn, hk, both = (
        serving.execute(
            """SELECT exports_usd FROM marts.destination_share WHERE frequency = 'month'
        AND period_start = DATE '2021-12-01' AND partner_code = ?""",
            [code],
        ).fetchone()[0]
        for code in ("CHN", "HKG", "CHN_HKG")
    )
    assert both == pytest.approx(cn + hk)
