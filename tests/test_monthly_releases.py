"""The published monthly releases of 2025-01 … 2026-02 (ministry preliminary, customs final, compilations) as
vintages of kcs_monthly_partner: who led each month, the crossovers and their fragility, 2025 against the
published annual figure, preliminary and final as of a date, same-day releases within rounding or in conflict.
Expected values are computed here from the shipped files, by the rule the warehouse documents."""

import csv
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from orchestration.feeds.formats.kcs_releases import parse_releases, precision_mn
from orchestration.feeds.readers import read_table
from tests.helpers import REPO, SAMPLE, drop, refresh
from tests.test_gates import assert_rejected

KCS = SAMPLE / "kcs_monthly_partner"
RELEASES = KCS / "published_releases_2025_01_2026_02.csv"
NINE_MARKETS = KCS / "trade_region_2021_08_2024_12.csv"
# 2025 exports to the US as published: 1,229억 USD (Yonhap via Newspic, 2026-01-04; the shared PROVENANCE.md,
# "Annual context"), printed to 1억 (100 mn USD)
PUBLISHED_US_2025 = 122.9e9
MONTHS = [f"{y}-{m:02d}" for y, m in [(2025, m) for m in range(1, 13)] + [(2026, 1), (2026, 2)]]


def rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def base_2024(partner: str, month: str) -> float:
    """The customs value of the same month a year earlier (the nine-markets statistics file)."""
    region = {"USA": "US", "CHN": "CN"}[partner]
    year_before = f"{int(month[:4]) - 1}{month[4:]}"
    [value] = [
        float(r["export_usd"]) for r in rows(NINE_MARKETS) if r["region_code"] == region and r["period"] == year_before
    ]
    return value


def expected_exports(partner: str, month: str) -> tuple[float | None, str | None]:
    """(value, basis) by the documented rule: an official release (not `other`) before a compilation, a printed
    value before one derived from growth, the later release first (a final KCS release comes after the
    preliminary); a growth rate grows the published value of the month a year earlier."""
    official = [r for r in rows(RELEASES) if (r["period"], r["region_code"], r["flow"]) == (month, partner, "export")
                and r["release"] != "other"]  # fmt: skip
    latest_first = sorted(official, key=lambda r: r["release"] == "final KCS", reverse=True)
    for r in latest_first:
        if r["value_usd_mn"]:
            return float(r["value_usd_mn"]) * 1e6, "published"
    for r in latest_first:
        if r["yoy_pct"]:
            return base_2024(partner, month) * (1 + float(r["yoy_pct"]) / 100), "derived from growth"
    return None, None


def leader(month: str) -> str | None:
    if month < "2025-01":  # the customs statistics file
        us, cn = (base_2024(p, f"{int(month[:4]) + 1}{month[4:]}") for p in ("USA", "CHN"))
    else:
        (us, _), (cn, _) = expected_exports("USA", month), expected_exports("CHN", month)
    if us is None or cn is None:
        return None
    return "USA" if us > cn else "CHN"


@pytest.fixture(scope="module")
def lead(serving) -> dict[str, tuple]:
    return {
        f"{r[0]:%Y-%m}": r[1:]
        for r in serving.execute("""SELECT period_start, leader_code, us_exports_usd, china_exports_usd,
            us_value_basis, china_value_basis, fragile, missing FROM marts.us_china_lead
            WHERE period_start >= DATE '2025-01-01'""").fetchall()
    }


def test_who_led_each_month_from_2025_01_to_2026_02(lead):
    assert sorted(lead) == MONTHS
    for month in MONTHS:
        found, us, cn, us_basis, cn_basis, fragile, missing = lead[month]
        expected_us, expected_us_basis = expected_exports("USA", month)
        expected_cn, expected_cn_basis = expected_exports("CHN", month)
        assert found == leader(month), month
        assert (us_basis, cn_basis) == (expected_us_basis, expected_cn_basis), month
        for value, expected in ((us, expected_us), (cn, expected_cn)):
            assert value == (expected if expected is None else pytest.approx(expected, rel=1e-12)), month
        assert fragile is (found is not None and "derived from growth" in (us_basis, cn_basis)), month
    # the picture in words (the shared PROVENANCE.md): the US ahead in 2025-01…03, 06 and 2026-02, China in the
    # other months; 2025-08 and 2025-12 only on values derived from growth; 2025-11 has no China value
    assert {m: lead[m][0] for m in MONTHS} == {
        "2025-01": "USA", "2025-02": "USA", "2025-03": "USA", "2025-04": "CHN", "2025-05": "CHN",
        "2025-06": "USA", "2025-07": "CHN", "2025-08": "CHN", "2025-09": "CHN", "2025-10": "CHN",
        "2025-11": None, "2025-12": "CHN", "2026-01": "CHN", "2026-02": "USA",
    }  # fmt: skip
    assert lead["2025-11"][-1] == "no China value"
    assert [m for m in MONTHS if lead[m][5]] == ["2025-08", "2025-12"]


def test_crossovers_of_2025_and_2026_and_their_fragility(serving):
    found = serving.execute("""SELECT frequency, strftime(period_start, '%Y-%m'), leader_code,
            strftime(previous_lead_start, '%Y-%m'), fragile, depends_on_derived
        FROM marts.destination_crossovers WHERE period_start >= DATE '2025-01-01' AND status = 'current'
          AND leader_code IN ('USA', 'CHN') AND trailer_code IN ('USA', 'CHN') ORDER BY 1, 2""").fetchall()
    # months: a change of leader from the month just before, both months with both values
    monthly = [m for m in MONTHS if leader(m) and leader(previous(m)) and leader(m) != leader(previous(m))]
    assert [p for f, p, *_ in found if f == "month"] == monthly
    assert found == [
        ("month", "2025-04", "CHN", "2024-11", False, False),  # first months of China ahead after the tariffs
        ("month", "2025-06", "USA", "2025-03", False, False),
        ("month", "2025-07", "CHN", "2025-05", False, False),
        ("month", "2026-02", "USA", "2025-06", False, False),  # US ahead by 0.1 bn, first since 2025-06
        ("quarter", "2025-01", "USA", "2024-04", False, False),
        ("quarter", "2025-07", "CHN", "2024-10", True, True),  # Q3 holds August's derived China value
    ]


def previous(month: str) -> str:
    return f"{date.fromisoformat(month + '-01') - timedelta(days=1):%Y-%m}"


def test_2025_exports_to_the_us_sum_their_months_and_agree_with_the_published_year(serving):
    year, basis = serving.execute("""SELECT exports_usd, value_basis FROM marts.destination_share
        WHERE partner_code = 'USA' AND frequency = 'year' AND period_start = DATE '2025-01-01'""").fetchone()
    months = [expected_exports("USA", m)[0] for m in MONTHS[:12]]
    assert year == pytest.approx(sum(months), rel=1e-12)
    assert basis == "derived from growth"  # December printed only a growth rate
    # agrees with the published 1,229억 within its rounding (0.5억) and December's growth rounding (0.05 pp)
    december = months[-1]
    assert abs(year - PUBLISHED_US_2025) <= 0.05e9 + 0.0005 * december
    assert year == pytest.approx(122.87e9, abs=0.01e9)
    # China has no 2025 year: November was not published (never scaled up from eleven months)
    assert (
        serving.execute("""SELECT count(*) FROM marts.destination_share WHERE partner_code = 'CHN'
        AND frequency = 'year' AND period_start = DATE '2025-01-01'""").fetchone()[0]
        == 0
    )


AS_OF = """SELECT exports_usd, release_type FROM marts.export_vintages WHERE partner_code = ? AND period_start = ?
           AND valid_from <= ? AND (valid_to IS NULL OR valid_to > ?)"""


@pytest.mark.parametrize(
    ("partner", "month", "day", "expected"),
    [
        ("CHN", "2025-07-01", "2025-07-31", None),  # not yet released
        ("CHN", "2025-07-01", "2025-08-10", (11.05e9, "preliminary")),  # MOTIE, 2025-08-01
        ("CHN", "2025-07-01", "2025-08-20", (11.04e9, "final")),  # KCS final, 2025-08-18
        ("USA", "2025-02-01", "2025-03-15", (9.9e9, "preliminary")),
        ("USA", "2025-02-01", "2025-04-01", (9.91e9, "final")),  # undated final: out by 2025-03-31
    ],
)
def test_as_of_a_date_returns_the_preliminary_then_the_final_figure(serving, partner, month, day, expected):
    found = serving.execute(AS_OF, [partner, month, day, day]).fetchall()
    assert found == ([expected] if expected else [])


def test_same_day_releases_agree_within_rounding_and_a_real_conflict_is_reported(serving):
    figures = serving.execute("""SELECT partner_code, flow, strftime(period_start, '%Y-%m'), release_type, value_usd,
            precision_usd, conflicting_with, used_by_marts FROM marts.monthly_releases
        WHERE partner_code = 'WLD' AND vintage IN (DATE '2026-03-01', DATE '2025-09-01')
          AND ((period_start = DATE '2026-02-01' AND flow = 'export') OR flow = 'import') ORDER BY ALL""").fetchall()
    assert figures == [
        # 674.5억 (to 10 mn) and 674.48억 (to 1 mn) differ by 2 mn: within half their steps (5.5 mn)
        ("WLD", "export", "2026-02", "other", 67_448e6, 1e6, None, False),
        ("WLD", "export", "2026-02", "preliminary", 67_450e6, 10e6, None, False),  # customs statistics in use
        # 518.9억 vs 518.6억 on 2025-09-01: 30 mn apart, beyond 10 mn: both kept, each names the other
        ("WLD", "import", "2025-08", "preliminary", 51_860e6, 10e6, "51890 mn USD (MOTIE via Dong-A Ilbo)", True),
        ("WLD", "import", "2025-08", "preliminary", 51_890e6, 10e6, "51860 mn USD (MOTIE via Reuters)", False),
        ("WLD", "import", "2026-02", "other", 51_936e6, 1e6, None, False),
        ("WLD", "import", "2026-02", "preliminary", 51_940e6, 10e6, None, True),
    ]
    conflicts = "SELECT count(*) FROM marts.monthly_releases WHERE conflicting_with IS NOT NULL"
    assert serving.execute(conflicts).fetchone() == (2,)


def test_a_compilation_never_outranks_an_official_release(serving):
    # KITA's figures are dated later (the file's vintage: no release date) but are `other`
    found = dict(
        serving.execute("""SELECT partner_code || ' ' || strftime(period_start, '%Y-%m'), exports_usd
            FROM marts.destination_share WHERE frequency = 'month'
              AND ((partner_code = 'USA' AND period_start = DATE '2025-05-01')
                OR (partner_code = 'CHN' AND period_start = DATE '2025-03-01'))""").fetchall()
    )
    assert found == {"USA 2025-05": 10.0e9, "CHN 2025-03": 10.1e9}  # KITA: 10.05 and 10.06 bn


def test_every_row_of_the_file_is_kept_with_its_basis(serving):
    file_rows = rows(RELEASES)
    basis = serving.execute(
        "SELECT value_basis, count(*) FROM marts.monthly_releases WHERE source = ? GROUP BY 1 ORDER BY 1",
        [str(RELEASES.relative_to(REPO))],
    ).fetchall()
    # a growth rate is turned into a value where the month a year earlier has a published value: in the customs
    # nine-markets file (2024) or printed in the releases (2025)
    codes = {"US": "USA", "CN": "CHN", "JP": "JPN", "IN": "IND"}
    published = {
        (r["period"], codes.get(r["region_code"], r["region_code"]), flow)
        for r in rows(NINE_MARKETS)
        for flow in ("export", "import")
    } | {(r["period"], r["region_code"], r["flow"]) for r in file_rows if r["value_usd_mn"]}
    growth_only = [r for r in file_rows if not r["value_usd_mn"] and r["yoy_pct"]]
    derivable = sum(1 for r in growth_only if (previous_year(r["period"]), r["region_code"], r["flow"]) in published)
    assert dict(basis) == {
        "published": sum(1 for r in file_rows if r["value_usd_mn"]),
        "derived from growth": derivable,
        "growth only, no published base": len(growth_only) - derivable,  # Vietnam: no 2024 monthly value shipped
        "not published": 1,  # China 2025-11: "not found"
    }
    assert sum(n for _, n in basis) == len(file_rows) == 146
    assert (derivable, len(growth_only) - derivable) == (29, 3)


def previous_year(month: str) -> str:
    return f"{int(month[:4]) - 1}{month[4:]}"


@pytest.mark.parametrize(
    ("text", "step"), [("9290", 10), ("9900", 100), ("10000", 100), ("67448", 1), ("674.5", 0.1), ("", None)]
)
def test_the_rounding_step_of_a_printed_value(text, step):
    assert precision_mn(text) == step


def test_release_dates_are_row_vintages():
    frame = parse_releases(RELEASES, read_table(RELEASES))
    dated = frame.set_index("source_row")["release_date"]
    assert dated[2] == "2025-02-01"  # as printed
    assert dated[25] == "2025-03-31"  # final KCS of 2025-02 without a date: out by the end of March
    assert pd.isna(dated[11])  # a compilation without a date: the file's vintage (2026-12-02, vintages.csv)


def test_a_bad_release_file_is_rejected_naming_file_row_and_rule(warehouse):
    header = "period,region_code,flow,value_usd_mn,yoy_pct,release,release_date,publisher,citing_url\n"
    landing = drop(
        warehouse,
        "kcs_monthly_partner",
        "releases_2026_03.csv",
        header
        + "2026-03,USA,export,,n/a,preliminary MOTIE,2026-04-01,MOTIR,https://example.org/a\n"
        + "2026-03,CHN,export,13000,5.0,press release,2026-04-01,MOTIR,https://example.org/b\n",
    )
    message = assert_rejected(
        warehouse,
        landing,
        "releases_2026_03.csv: rule 'growth rate is a number' failed at row(s) 2",
        "growth rate is a number",
        "release is preliminary MOTIE, final KCS or other",
    )
    assert "rule 'release is preliminary MOTIE, final KCS or other' failed at row(s) 3" in message
    assert "press release" in message


def test_a_new_monthly_release_moves_the_headline(warehouse):
    header = "period,region_code,flow,value_usd_mn,yoy_pct,release,release_date,publisher,citing_url\n"
    drop(
        warehouse,
        "kcs_monthly_partner",
        "releases_2026_03.csv",
        header
        + "2026-03,USA,export,12500,,preliminary MOTIE,2026-04-01,MOTIR,https://example.org/a\n"
        + "2026-03,CHN,export,13900,,preliminary MOTIE,2026-04-01,MOTIR,https://example.org/a\n",
    )
    assert refresh(warehouse).success
    with duckdb.connect(str(warehouse / "serving.duckdb"), read_only=True) as con:
        assert con.execute("""SELECT leader_code, margin_usd, leader_changed FROM marts.us_china_lead
            WHERE period_start = DATE '2026-03-01'""").fetchone() == ("CHN", 1.4e9, True)
        assert con.execute("""SELECT strftime(period_start, '%Y-%m'), leader_code, previous_lead_start
            FROM marts.destination_crossovers WHERE frequency = 'month' AND period_start = DATE '2026-03-01'
              AND trailer_code = 'USA'""").fetchone() == ("2026-03", "CHN", date(2026, 1, 1))
