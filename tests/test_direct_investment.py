"""Korean direct investment in the US: every release kept (as-of queries), and next to exports to the US.

Expected values are recomputed from the shipped files (data/sample/published_figures/direct_investment*.csv,
the Korea Customs monthly files), never read back from the marts alone."""

import csv
from collections import defaultdict
from datetime import date
from pathlib import Path

import pytest

SAMPLE = Path(__file__).parents[1] / "data" / "sample"
DIRECT_INVESTMENT = [
    SAMPLE / "published_figures" / name
    for name in ("direct_investment.csv", "direct_investment_releases_2024_2025.csv")
]
TOP5 = SAMPLE / "kcs_monthly_partner" / "kcs_top5_partners_monthly_2000_2021.csv"
NINE_MARKETS = SAMPLE / "kcs_monthly_partner" / "trade_region_2021_08_2026_07.csv"
WORLD = SAMPLE / "kcs_monthly_partner" / "customs_export_dlr_1990_01_2026_07.csv"
OFDI = "overseas direct investment, gross"


def rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def figures() -> list[dict]:
    return [r for path in DIRECT_INVESTMENT for r in rows(path)]


def ofdi_releases(partner: str, year: str, period: str = "year") -> list[tuple[date, float]]:
    """(release day, USD) of a gross OFDI figure of a partner and year, oldest first, one per day and value; a
    mislabelled figure (another partner's, printed under this one) is none."""
    return sorted(
        {
            (date.fromisoformat(r["release_date"]), float(r["value"]))
            for r in figures()
            if r["partner_code"] == partner
            and r["subject"] == OFDI
            and r["metric"] == "amount_invested"
            and r["period"] == period
            and r["year"] == year
            and not r["qualifier"].startswith("mislabelled")
        }
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


def test_every_usd_release_is_kept_and_only_the_mislabel_disagrees_on_one_day(serving):
    usd = [r for r in figures() if r["unit"] == "USD"]
    assert serving.execute("SELECT count(*) FROM marts.direct_investment").fetchone()[0] == len(usd)
    # in the shipped files two reports of one figure on one day differ only where one is a known mislabel ...
    by_day = defaultdict(set)
    for r in usd:
        key = (r["partner_code"], r["subject"], r["metric"], r["year"], r["period"], r["release_date"])
        by_day[key].add((float(r["value"]), r["qualifier"].startswith("mislabelled")))
    disagreeing = {k: v for k, v in by_day.items() if len({value for value, _ in v}) > 1}
    assert disagreeing == {
        ("USA", OFDI, "amount_invested", "2024", "year", "2025-03-14"): {(22.08e9, False), (25.88e9, True)}
    }
    # ... so only the mislabel is flagged, and each figure has exactly one latest value
    flagged = serving.execute("SELECT year, partner_code, value_usd FROM marts.direct_investment WHERE conflict")
    assert flagged.fetchall() == [(2024, "USA", 25.88e9)]
    figures_without_one_latest = serving.execute("""
        SELECT count(*) FROM (SELECT partner_code, series, metric, year_label, period FROM marts.direct_investment
        GROUP BY ALL HAVING count(DISTINCT value_usd) FILTER (WHERE is_latest) <> 1)""").fetchone()[0]
    assert figures_without_one_latest == 0


@pytest.mark.parametrize(
    "as_of,expected_bn",
    [(date(2025, 3, 13), None), (date(2025, 3, 14), 22.08), (date(2025, 3, 16), 22.08), (date(2026, 12, 7), 22.08)],
)
def test_2024_us_figure_known_from_the_release_of_2025_03_14(serving, as_of, expected_bn):
    """MOEF's annual release of the 2024 figures came out on 2025-03-14 (not 2025-12-31); UrduPoint's "United
    States … 25.88 bn" of the same release is the North America figure: flagged, never the answer."""
    assert {day for day, _ in ofdi_releases("USA", "2024")} == {date(2025, 3, 14)}
    known = [value for day, value in ofdi_releases("USA", "2024") if day <= as_of]
    assert (known[-1] / 1e9 if known else None) == expected_bn
    served = serving.execute(
        """SELECT DISTINCT value_usd FROM marts.direct_investment
        WHERE partner_code = 'USA' AND series = ? AND metric = 'amount_invested' AND year = 2024 AND period = 'year'
          AND valid_from <= ? AND (valid_to IS NULL OR valid_to > ?)""",
        [OFDI, as_of, as_of],
    ).fetchall()
    assert served == ([] if expected_bn is None else [(pytest.approx(expected_bn * 1e9),)])


def test_the_mislabelled_us_figure_is_the_north_america_one_and_never_in_use(serving):
    north_america = ofdi_releases("NORTH_AMERICA", "2024")
    assert north_america == [(date(2025, 3, 14), 25.88e9)]
    mislabel = serving.execute(
        """SELECT value_usd, conflict, is_latest, valid_from, valid_to FROM marts.direct_investment
        WHERE partner_code = 'USA' AND year = 2024 AND period = 'year' AND qualifier LIKE 'mislabelled%'"""
    ).fetchall()
    assert mislabel == [(north_america[0][1], True, False, date(2025, 3, 14), date(2025, 3, 14))]
    row = investment_and_exports(serving, 2024)
    assert (row["ofdi_usd"], row["ofdi_release_date"]) == (22.08e9, date(2025, 3, 14))
    assert round(row["ofdi_yoy_growth"] * 100, 1) == -21.1  # as the release printed it


def test_2025_quarters_first_published_and_revised(serving):
    """Q1 and Q2 2025 (all countries): first published 2025-09-19, revised in the Q3 release of 2025-12-23."""
    served = serving.execute(
        """SELECT period, valid_from, value_usd, valid_to, is_latest, revision_usd FROM marts.direct_investment
        WHERE partner_code = 'WLD' AND series = ? AND year = 2025 AND period IN ('Q1', 'Q2') ORDER BY ALL""",
        [OFDI],
    ).fetchall()
    expected = []
    for quarter in ("Q1", "Q2"):
        (first_day, first), (revised_day, revised) = ofdi_releases("WLD", "2025", quarter)
        expected += [
            (quarter, first_day, pytest.approx(first), revised_day, False, None),
            (quarter, revised_day, pytest.approx(revised), None, True, pytest.approx(revised - first)),
        ]
    assert served == expected
    assert [round(r[2] / 1e9, 2) for r in served] == [15.74, 15.92, 14.15, 15.38]


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
    assert y2022["ofdi_growth_basis"] == "both years from one release, of 2024-11 (Korea Eximbank, via Yonhap)"
    # 2023: 27.99 bn (MOEF's 2025 release), -5.1 % on 29.50 bn: figures of two releases, and the basis says so
    assert (y2023["ofdi_usd"] / 1e9, round(y2023["ofdi_yoy_growth"] * 100, 1)) == (pytest.approx(27.99), -5.1)
    assert y2023["ofdi_growth_basis"].startswith("figures of two releases: 2025 (MOEF")
    # the US share of the release of each amount: published by Korea Eximbank 2024-11 for 2022 (36.1 %); for 2023
    # US ÷ world of MOEF's 2025 release (27.99 / 65.15 = 43.0 %), not Korea Eximbank's 43 % next to MOEF's amount
    us_2023, world_2023 = dict(ofdi_releases("USA", "2023")), dict(ofdi_releases("WLD", "2023"))
    day = y2023["ofdi_valid_from"]
    assert (y2022["us_share_of_ofdi"], y2023["us_share_of_ofdi"]) == (
        pytest.approx(0.361),
        pytest.approx(us_2023[day] / world_2023[day]),
    )
    assert y2022["us_share_of_ofdi_basis"].startswith("published share_of_total_ofdi: 2024-11")
    assert y2023["us_share_of_ofdi_basis"].startswith("computed: US ÷ all countries, both released 2025-03-14")
    # exports to the US (customs): 109.8 bn (+14.5 %), 115.7 bn (+5.4 %); 16.1 % and 18.3 % of all exports
    assert [round(r["exports_usd"] / 1e9, 1) for r in (y2022, y2023)] == [109.8, 115.7]
    assert [round(r["exports_yoy_growth"] * 100, 1) for r in (y2022, y2023)] == [14.5, 5.4]
    assert [round(r["us_share_of_exports"] * 100, 1) for r in (y2022, y2023)] == [16.1, 18.3]


def test_us_share_of_ofdi_never_divides_figures_of_different_releases(serving):
    shares = dict(serving.execute("SELECT year, us_share_of_ofdi FROM marts.investment_and_exports").fetchall())
    assert sorted(shares) == list(range(2018, 2025))
    # 2018: the published 21.7 % (2019-03-08) is of another release than the only US amount (2019-03-31), and
    # 10.81 bn (first release) ÷ 51.81 bn (the world figure as revised) = 20.9 % would divide two releases: none
    assert shares[2018] is None
    assert investment_and_exports(serving, 2018)["us_share_of_ofdi_basis"] == (
        "none: no release gives both the amount and the US share (the amount: 2019-03 (MOTIE KORUS 7th-year "
        "report); a share: published share_of_total_ofdi: 2019-03-08 (MOEF annual release))"
    )
    # 2024: no published share; US ÷ world of MOEF's 2025 release
    assert shares[2024] == pytest.approx(latest_ofdi("USA", "2024") / latest_ofdi("WLD", "2024"))
    # 2019: no published share; the only day with both the US and the world figure is the 2020-03-20 release
    us_2019, world_2019 = dict(ofdi_releases("USA", "2019")), dict(ofdi_releases("WLD", "2019"))
    same_day = max(set(us_2019) & set(world_2019))
    assert same_day == date(2020, 3, 20)
    assert shares[2019] == pytest.approx(us_2019[same_day] / world_2019[same_day])


def us_shares_by_release_day(year: str) -> dict[date, float]:
    """The US share of gross OFDI of a year per release day: the share published that day, else the US amount ÷ the
    world amount, both released that day."""
    us, world = dict(ofdi_releases("USA", year)), dict(ofdi_releases("WLD", year))
    computed = {day: us[day] / world[day] for day in us.keys() & world.keys()}
    published = {
        date.fromisoformat(r["release_date"]): float(r["value"]) / 100
        for r in figures()
        if (r["partner_code"], r["subject"], r["metric"], r["unit"], r["period"], r["year"])
        == ("USA", OFDI, "share_of_total_ofdi", "percent", "year", year)
    }
    return computed | published


@pytest.mark.parametrize("year", range(2018, 2025))
def test_one_release_per_row_of_investment_and_exports(serving, year):
    """The amount and the US share of a row come from one release (the latest release day that gives both),
    else the latest amount with no share; the row says whether its amount is the latest release of the figure."""
    amounts, shares = dict(ofdi_releases("USA", str(year))), us_shares_by_release_day(str(year))
    both = sorted(amounts.keys() & shares.keys())
    day = both[-1] if both else max(amounts)
    row = investment_and_exports(serving, year)
    assert row["ofdi_valid_from"] == row["ofdi_release_date"] == day
    assert row["ofdi_usd"] == pytest.approx(amounts[day])
    assert row["us_share_of_ofdi"] == (pytest.approx(shares[day]) if both else None)
    assert row["ofdi_is_latest"] == (day == max(amounts))
    assert (row["us_share_of_ofdi_citation_url"] is None) == (not both)
    release_days = {r["release"]: date.fromisoformat(r["release_date"]) for r in figures()}
    assert {release_days[r] for r in row["ofdi_release"].split("; ")} == {day}


def test_2019_row_is_the_release_that_gives_both_figures(serving):
    """2019: the 2025 revision (15.76 bn) gives no US share; MOEF's release of 2020-03-20 gives the amount (14.77 bn)
    and, with its world figure, the share: the row is that release's, marked as not the latest amount."""
    row = investment_and_exports(serving, 2019)
    assert (row["ofdi_usd"], row["ofdi_valid_from"], row["ofdi_is_latest"]) == (14.77e9, date(2020, 3, 20), False)
    assert latest_ofdi("USA", "2019") == 15.76e9
    assert round(row["us_share_of_ofdi"] * 100, 1) == 23.9
