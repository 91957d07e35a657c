"""Korean direct investment in the US: every release kept (as-of queries), and next to exports to the US.

Expected values are recomputed from the shipped files (data/sample/published_figures/direct_investment.csv,
the Korea Customs monthly files), never read back from the marts alone."""

import csv
from collections import defaultdict
from datetime import date
from pathlib import Path

import pytest

SAMPLE = Path(__file__).parents[1] / "data" / "sample"
DIRECT_INVESTMENT = SAMPLE / "published_figures" / "direct_investment.csv"
TOP5 = SAMPLE / "kcs_monthly_partner" / "kcs_top5_partners_monthly_2000_2021.csv"
NINE_MARKETS = SAMPLE / "kcs_monthly_partner" / "trade_region_2021_08_2026_07.csv"
WORLD = SAMPLE / "kcs_monthly_partner" / "customs_export_dlr_1990_01_2026_07.csv"
OFDI = "overseas direct investment, gross"


def rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def ofdi_releases(partner: str, year: str) -> list[tuple[date, float]]:
    """(release day, USD) of the annual gross OFDI figure of a partner and year, oldest first."""
    return sorted(
        (date.fromisoformat(r["release_date"]), float(r["value"]))
        for r in rows(DIRECT_INVESTMENT)
        if r["partner_code"] == partner
        and r["subject"] == OFDI
        and r["metric"] == "amount_invested"
        and r["period"] == "year"
        and r["year"] == year
    )


def latest_ofdi(partner: str, year: str) -> float:
    return ofdi_releases(partner, year)[-1][1]


def korea_exports_by_year(column_top5: str, region_code: str) -> dict[int, float]:
    """Korea's exports to a partner per year, from the two monthly files (they agree where they overlap)."""
    by_month = {r["Date"]: float(r[column_top5]) for r in rows(TOP5)}
    by_month |= {r["period"]: float(r["export_usd"]) for r in rows(NINE_MARKETS) if r["region_code"] == region_code}
    totals = defaultdict(float)
    for month, value in by_month.items():
        totals[int(month[:4])] += value
    return totals


def world_exports_by_year() -> dict[int, float]:
    totals = defaultdict(float)
    for r in rows(WORLD):
        totals[int(r["date"][:4])] += float(r["value"])
    return totals


def test_2022_us_figure_first_released_and_revised(serving):
    releases = ofdi_releases("USA", "2022")
    assert releases == [(date(2023, 3, 24), 27.77e9), (date(2024, 11, 30), 29.50e9)]
    served = serving.execute(
        """SELECT valid_from, value_usd, valid_to, is_latest, revision_usd, conflict FROM marts.direct_investment
        WHERE partner_code = 'USA' AND series = ? AND metric = 'amount_invested' AND year = 2022 AND period = 'year'
        ORDER BY valid_from""",
        [OFDI],
    ).fetchall()
    (first_day, first), (latest_day, latest) = releases
    assert served == [
        (first_day, pytest.approx(first), latest_day, False, None, False),
        (latest_day, pytest.approx(latest), None, True, pytest.approx(latest - first), False),
    ]


@pytest.mark.parametrize(
    "as_of,expected_bn",
    [(date(2023, 3, 23), None), (date(2023, 3, 24), 27.77), (date(2024, 6, 30), 27.77), (date(2025, 1, 1), 29.50)],
)
def test_as_of_query_returns_the_figure_known_that_day(serving, as_of, expected_bn):
    known = [value for day, value in ofdi_releases("USA", "2022") if day <= as_of]
    assert (known[-1] / 1e9 if known else None) == expected_bn
    served = serving.execute(
        """SELECT value_usd FROM marts.direct_investment
        WHERE partner_code = 'USA' AND series = ? AND metric = 'amount_invested' AND year = 2022 AND period = 'year'
          AND valid_from <= ? AND (valid_to IS NULL OR valid_to > ?)""",
        [OFDI, as_of, as_of],
    ).fetchall()
    assert served == ([] if expected_bn is None else [(pytest.approx(expected_bn * 1e9),)])


def test_every_usd_release_is_kept_and_none_disagrees_on_one_day(serving):
    usd = [r for r in rows(DIRECT_INVESTMENT) if r["unit"] == "USD"]
    assert serving.execute("SELECT count(*) FROM marts.direct_investment").fetchone()[0] == len(usd)
    # the shipped file has no two releases of one figure on one day with different values ...
    by_day = defaultdict(set)
    for r in usd:
        key = (r["partner_code"], r["subject"], r["metric"], r["year"], r["period"], r["release_date"])
        by_day[key].add(float(r["value"]))
    assert all(len(values) == 1 for values in by_day.values())
    # ... so nothing is flagged, and each figure has exactly one latest release
    assert serving.execute("SELECT count(*) FROM marts.direct_investment WHERE conflict").fetchone()[0] == 0
    figures_without_one_latest = serving.execute("""
        SELECT count(*) FROM (SELECT partner_code, series, metric, year_label, period FROM marts.direct_investment
        GROUP BY ALL HAVING count(*) FILTER (WHERE is_latest) <> 1)""").fetchone()[0]
    assert figures_without_one_latest == 0


def investment_and_exports(serving, year: int) -> dict:
    cursor = serving.execute("SELECT * FROM marts.investment_and_exports WHERE year = ?", [year])
    names = [d[0] for d in cursor.description]
    return dict(zip(names, cursor.fetchone(), strict=True))


@pytest.mark.parametrize("year", [2022, 2023])
def test_investment_next_to_exports(serving, year):
    row = investment_and_exports(serving, year)
    ofdi, ofdi_before = latest_ofdi("USA", str(year)), latest_ofdi("USA", str(year - 1))
    assert row["ofdi_usd"] == pytest.approx(ofdi)
    assert row["ofdi_yoy_growth"] == pytest.approx(ofdi / ofdi_before - 1)
    exports = korea_exports_by_year("export_USA", "US")
    assert row["exports_usd"] == pytest.approx(exports[year], abs=1)
    assert row["exports_yoy_growth"] == pytest.approx(exports[year] / exports[year - 1] - 1, rel=1e-9)
    assert row["us_share_of_exports"] == pytest.approx(exports[year] / world_exports_by_year()[year], rel=1e-9)
    assert (row["exports_basis"], row["exports_source"]) == ("customs", "kcs_monthly_partner")


def test_investment_and_exports_2022_and_2023_figures(serving):
    y2022, y2023 = investment_and_exports(serving, 2022), investment_and_exports(serving, 2023)
    # 2022: 29.50 bn (Korea Eximbank 2024-11), +5.6 % on 2021's 27.93 bn of the same release
    assert (y2022["ofdi_usd"] / 1e9, round(y2022["ofdi_yoy_growth"] * 100, 1)) == (pytest.approx(29.50), 5.6)
    assert y2022["ofdi_growth_basis"] == "latest figures of both years, released the same day"
    # 2023: 27.99 bn (MOEF's 2025 release), -5.1 % on 29.50 bn: figures of two releases, and the basis says so
    assert (y2023["ofdi_usd"] / 1e9, round(y2023["ofdi_yoy_growth"] * 100, 1)) == (pytest.approx(27.99), -5.1)
    assert y2023["ofdi_growth_basis"].startswith("latest figures of two releases: 2025 (MOEF")
    # the published US shares of total OFDI (Korea Eximbank 2024-11): 36.1 % and 43 %
    assert (y2022["us_share_of_ofdi"], y2023["us_share_of_ofdi"]) == (pytest.approx(0.361), pytest.approx(0.43))
    assert y2022["us_share_of_ofdi_basis"].startswith("published share_of_total_ofdi")
    # exports to the US (customs): 109.8 bn (+14.5 %), 115.7 bn (+5.4 %); 16.1 % and 18.3 % of all exports
    assert [round(r["exports_usd"] / 1e9, 1) for r in (y2022, y2023)] == [109.8, 115.7]
    assert [round(r["exports_yoy_growth"] * 100, 1) for r in (y2022, y2023)] == [14.5, 5.4]
    assert [round(r["us_share_of_exports"] * 100, 1) for r in (y2022, y2023)] == [16.1, 18.3]


def test_us_share_of_ofdi_never_divides_figures_of_different_releases(serving):
    shares = dict(serving.execute("SELECT year, us_share_of_ofdi FROM marts.investment_and_exports").fetchall())
    assert sorted(shares) == list(range(2018, 2025))
    # 2018: the published 21.7 %, not 10.81 bn (first release) ÷ 51.81 bn (the world figure as revised) = 20.9 %
    assert shares[2018] == pytest.approx(0.217)
    # 2024: no published share; US ÷ world of MOEF's 2025 release
    assert shares[2024] == pytest.approx(latest_ofdi("USA", "2024") / latest_ofdi("WLD", "2024"))
    # 2019: no published share; the only day with both the US and the world figure is the 2020-03-20 release
    us_2019, world_2019 = dict(ofdi_releases("USA", "2019")), dict(ofdi_releases("WLD", "2019"))
    same_day = max(set(us_2019) & set(world_2019))
    assert same_day == date(2020, 3, 20)
    assert shares[2019] == pytest.approx(us_2019[same_day] / world_2019[same_day])
