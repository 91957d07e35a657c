"""2025-01 … 2026-07 on final customs figures, and the published releases as their earlier vintages: who led each
month, leads within revision noise, the preliminary against the final (2026-02), as-of queries, the 2025 surplus
with the US, the published 2025 annual figures against the final months, what drove 2026, same-day conflicts.
Expected values are computed here from the shipped files, by the rule the warehouse documents."""

import csv
from datetime import date
from pathlib import Path

import duckdb
import pytest

from orchestration.feeds import FEEDS
from orchestration.feeds.formats.kcs_releases import parse_releases, precision_mn
from orchestration.feeds.readers import read_table
from orchestration.loading import parse_file
from tests.helpers import REPO, SAMPLE, assert_rejected, drop

KCS = SAMPLE / "kcs_monthly_partner"
RELEASES = KCS / "published_releases_2025_01_2026_02.csv"
ADDITIONS = KCS / "published_releases_additions_2025_2026.csv"
NINE_MARKETS = KCS / "trade_region_2021_08_2026_07.csv"
COUNTRIES = KCS / "country_trade_2025_01_2026_07.csv"
WORLD = KCS / "customs_export_dlr_1990_01_2026_07.csv"
PROVISIONAL = KCS / "kcs_provisional_totals_2026_08_09.csv"
CHIPS = SAMPLE / "kcs_product_partner" / "kcs_hs8542_by_country_monthly_2020_2026_08.csv"
MONTHS = [f"{y}-{m:02d}" for y in (2025, 2026) for m in range(1, 13) if (y, m) <= (2026, 7)]
NINE = {"US": "USA", "CN": "CHN", "JP": "JPN", "IN": "IND"}


def rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def final(partner: str, month: str, flow: str = "export") -> float:
    """The final customs figure of the nine-partner file."""
    [value] = [
        float(r[f"{flow}_usd"])
        for r in rows(NINE_MARKETS)
        if NINE.get(r["region_code"], r["region_code"]) == partner and r["period"] == month
    ]
    return value


def world(month: str) -> float:
    [value] = [float(r["value"]) for r in rows(WORLD) if r["date"].startswith(month)]
    return value


def released(partner: str, month: str) -> list[dict]:
    """The published export figures of a partner-month in both release files, earliest first."""
    found = [
        r
        for path in (RELEASES, ADDITIONS)
        for r in rows(path)
        if (r["period"], r["region_code"], r["flow"]) == (month, partner, "export") and r["value_usd_mn"]
    ]
    return sorted(found, key=lambda r: (r["release_date"] or "9999", r["release"] == "other"))


@pytest.fixture(scope="module")
def lead(serving) -> dict[str, tuple]:
    return {
        f"{r[0]:%Y-%m}": r[1:]
        for r in serving.execute("""SELECT period_start, leader_code, us_exports_usd, china_exports_usd,
            us_release_type, china_release_type, us_vintage, fragile, release_note FROM marts.us_china_lead
            WHERE period_start >= DATE '2025-01-01'""").fetchall()
    }


def test_who_led_each_month_from_2025_01_to_2026_07_on_final_figures(lead):
    assert sorted(lead) == MONTHS
    for month in MONTHS:
        found, us, cn, us_release, cn_release, vintage, *_ = lead[month]
        assert (us, cn) == (
            pytest.approx(final("USA", month), rel=1e-12),
            pytest.approx(final("CHN", month), rel=1e-12),
        )
        assert found == ("USA" if final("USA", month) > final("CHN", month) else "CHN"), month
        assert (us_release, cn_release, vintage) == ("customs statistics", "customs statistics", date(2026, 8, 31))
    # the picture (Korea Customs' final statistics by country, data/sample/PROVENANCE.md): the US ahead in
    # 2025-01…03 and 06, China every month from 2025-07
    assert [m for m in MONTHS if lead[m][0] == "USA"] == ["2025-01", "2025-02", "2025-03", "2025-06"]
    assert lead["2026-02"][1:3] == (12_704_284_715, 12_778_486_869)


def test_a_lead_within_revision_noise_is_fragile(lead):
    """Revision noise: the largest relative move of a first published figure (countries and the world) to the final
    one; the US value of 2026-02 moved most: 12,850 -> 12,704.3 mn USD (-1.13 %)."""
    finals = {(NINE[r["region_code"]], r["period"]): float(r["export_usd"]) for r in rows(NINE_MARKETS)
              if r["region_code"] in NINE}  # fmt: skip
    iso3 = {"VN": "VNM", "TW": "TWN"}
    finals |= {(iso3[r["국가코드"]], r["기준월"][:7]): float(r["수출액_USD"]) for r in rows(COUNTRIES)
               if r["국가코드"] in iso3}  # fmt: skip
    finals |= {("WLD", r["date"][:7]): float(r["value"]) for r in rows(WORLD)}
    ratios = {}
    for partner, month in {(r["region_code"], r["period"]) for p in (RELEASES, ADDITIONS) for r in rows(p)}:
        first = released(partner, month)
        if first and (partner, month) in finals:
            ratios[(partner, month)] = abs(finals[(partner, month)] / (float(first[0]["value_usd_mn"]) * 1e6) - 1)
    largest = max(ratios, key=ratios.get)
    assert largest == ("USA", "2026-02") and ratios[largest] == pytest.approx(0.01134, abs=1e-5)
    for month in MONTHS:
        _, us, cn, *_, fragile, _ = lead[month]
        assert fragile is (abs(us - cn) <= ratios[largest] * min(us, cn)), month
    assert [m for m in MONTHS if lead[m][6]] == ["2025-01", "2026-02", "2026-06"]  # June: 0.5 mn USD on 20 bn


def test_2026_02_the_us_led_only_in_the_preliminary_release(serving, lead):
    [first_us], [first_cn] = released("USA", "2026-02")[:1], released("CHN", "2026-02")[:1]
    assert (first_us["release_date"], first_us["value_usd_mn"], first_cn["value_usd_mn"]) == (
        "2026-03-01",
        "12850",
        "12750",
    )
    revisions = serving.execute("""SELECT partner_code, first_release_usd, first_release_date, first_release_type,
            final_usd, final_date, revision_usd, us_china_leader_first_release, us_china_leader_final,
            us_china_leader_differs
        FROM marts.release_revisions WHERE frequency = 'month' AND period_start = DATE '2026-02-01' AND flow = 'export'
          AND partner_code IN ('USA', 'CHN') ORDER BY partner_code""").fetchall()
    assert revisions == [
        ("CHN", 12_750e6, date(2026, 3, 1), "preliminary", pytest.approx(final("CHN", "2026-02")), date(2026, 8, 31),
         pytest.approx(final("CHN", "2026-02") - 12_750e6), "USA", "CHN", True),
        ("USA", 12_850e6, date(2026, 3, 1), "preliminary", pytest.approx(final("USA", "2026-02")), date(2026, 8, 31),
         pytest.approx(final("USA", "2026-02") - 12_850e6), "USA", "CHN", True),
    ]  # fmt: skip
    assert lead["2026-02"][-1] == (
        "USA ahead in the first release (preliminary of 2026-03-01); CHN ahead in the figures in use "
        "(customs statistics)"
    )
    assert serving.execute("""SELECT status, release_note FROM marts.destination_crossovers
        WHERE frequency = 'month' AND period_start = DATE '2026-02-01' AND leader_code = 'USA'
          AND trailer_code = 'CHN'""").fetchall() == [
        ("removed by a later vintage",
         "USA ahead only in the first release (preliminary of 2026-03-01); CHN ahead in the figures in use"),
    ]  # fmt: skip


AS_OF = """SELECT partner_code, exports_usd, release_type FROM marts.export_vintages
           WHERE partner_code IN ('USA', 'CHN') AND period_start = DATE '2026-02-01'
             AND valid_from <= ? AND (valid_to IS NULL OR valid_to > ?) ORDER BY partner_code"""


@pytest.mark.parametrize(
    ("day", "leader", "release"),
    [("2026-03-05", "USA", "preliminary"), ("2026-12-07", "CHN", "customs statistics")],
)
def test_as_of_a_date_2026_02_has_the_us_ahead_then_china(serving, day, leader, release):
    (_, china, china_release), (_, us, us_release) = serving.execute(AS_OF, [day, day]).fetchall()
    assert ("USA" if us > china else "CHN", us_release, china_release) == (leader, release, release)


def test_as_of_before_any_release_returns_nothing(serving):
    assert serving.execute(AS_OF, ["2026-02-28", "2026-02-28"]).fetchall() == []


def test_2025_exports_imports_and_the_surplus_with_the_us_sum_the_final_months(serving):
    exports = sum(final("USA", m) for m in MONTHS[:12])
    imports = sum(final("USA", m, "import") for m in MONTHS[:12])
    found = serving.execute("""SELECT exports_usd, imports_usd, balance_usd, watch_flag FROM marts.trade_balance
        WHERE partner_code = 'USA' AND frequency = 'year' AND period_start = DATE '2025-01-01'""").fetchone()
    assert found[:3] == (pytest.approx(exports), pytest.approx(imports), pytest.approx(exports - imports))
    assert round((exports - imports) / 1e8) == 495  # 495억 USD: above the 15 bn watch threshold
    assert found[3] == "surplus above threshold"  # not growing fast: 2024 was 55.6 bn


@pytest.mark.parametrize("partner", ["USA", "CHN", "ASEAN", "EU27"])
def test_the_published_2025_annual_figures_are_the_final_months_within_their_rounding(serving, partner):
    [printed] = [r for r in rows(ADDITIONS) if (r["period"], r["region_code"], r["flow"]) == ("2025", partner, "export")
                 and r["value_usd_mn"]]  # fmt: skip
    months = sum(final(partner, m) for m in MONTHS[:12])
    step = precision_mn(printed["value_usd_mn"]) * 1e6
    assert abs(months - float(printed["value_usd_mn"]) * 1e6) <= step / 2  # e.g. US 1,229억 vs 122,850.9 mn
    assert serving.execute("""SELECT final_usd, within_rounding FROM marts.release_revisions
        WHERE frequency = 'year' AND period_start = DATE '2025-01-01' AND partner_code = ? AND flow = 'export'""",
                           [partner]).fetchone() == (pytest.approx(months), True)  # fmt: skip


def test_the_2025_world_total_was_revised_and_customs_later_printed_the_final_sum(serving):
    months = sum(world(m) for m in MONTHS[:12])
    customs = [r for r in rows(ADDITIONS) if (r["period"], r["region_code"], r["release_date"]) ==
               ("2025", "WLD", "2026-03-01")]  # fmt: skip
    assert abs(months - float(customs[0]["value_usd_mn"]) * 1e6) <= 5e6  # 7,093.3억 to 10 mn
    first, within = serving.execute("""SELECT first_release_usd, within_rounding FROM marts.release_revisions
        WHERE frequency = 'year' AND partner_code = 'WLD' AND flow = 'export'""").fetchone()
    assert (first, within) == (709_693e6, False)  # the ministry's 7,096억9300만 of 2026-01-01: revised by -0.05 %


def test_what_drove_2026_chinas_contribution_and_its_chips(serving):
    """Jan-Jul 2026 against Jan-Jul 2025: Δ exports to China ÷ world exports of Jan-Jul 2025, and the HS 8542 part."""
    ytd, before = MONTHS[12:], MONTHS[:7]
    base = sum(world(m) for m in before)
    china = (sum(final("CHN", m) for m in ytd) - sum(final("CHN", m) for m in before)) / base
    chips = {r["월"].replace(".", "-"): float(r["수출금액_USD"]) for r in rows(CHIPS) if r["국가코드"] == "CN"}
    china_chips = (sum(chips[m] for m in ytd) - sum(chips[m] for m in before)) / base
    found = serving.execute("""SELECT contribution, hs8542_contribution, world_growth, months
        FROM marts.export_growth_contributions
        WHERE frequency = 'ytd' AND period_start = DATE '2026-01-01' AND partner_code = 'CHN'""").fetchone()
    growth = sum(world(m) for m in ytd) / base - 1
    assert found == (pytest.approx(china, rel=1e-9), pytest.approx(china_chips, rel=1e-9),
                     pytest.approx(growth, rel=1e-9), 7)  # fmt: skip
    assert (round(100 * china, 1), round(100 * china_chips, 1), round(100 * growth, 1)) == (12.6, 11.2, 50.5)


def test_hs_8542_exports_to_china_in_2026_08(serving):
    [value] = [float(r["수출금액_USD"]) for r in rows(CHIPS) if (r["월"], r["국가코드"]) == ("2026.08", "CN")]
    assert serving.execute("""SELECT exports_usd FROM marts.product_composition WHERE partner_code = 'CHN'
        AND product_group = 'semiconductors (HS 8542)' AND frequency = 'month'
        AND period_start = DATE '2026-08-01'""").fetchone() == (value,)


def test_same_day_releases_agree_within_rounding_and_real_conflicts_are_reported(serving):
    figures = serving.execute("""SELECT partner_code, flow, strftime(period_start, '%Y-%m'), release_type, value_usd,
            precision_usd, conflicting_with, used_by_marts FROM marts.monthly_releases
        WHERE partner_code = 'WLD' AND vintage IN (DATE '2026-03-01', DATE '2025-09-01') AND frequency = 'month'
          AND ((period_start = DATE '2026-02-01' AND flow = 'export') OR flow = 'import') ORDER BY ALL""").fetchall()
    assert figures == [
        # 674.5억 (to 10 mn) and 674.48억 (to 1 mn) differ by 2 mn: within half their steps (5.5 mn)
        ("WLD", "export", "2026-02", "other", 67_448e6, 1e6, None, False),
        ("WLD", "export", "2026-02", "preliminary", 67_450e6, 10e6, None, False),  # customs statistics in use
        # 518.9억 vs 518.6억 on 2025-09-01: 30 mn apart, beyond 10 mn: both kept, each names the other; the rule
        # (same rounding, both press reports, one report each) falls to the publisher first by name: Dong-A
        ("WLD", "import", "2025-08", "preliminary", 51_860e6, 10e6, "51890 mn USD (MOTIE via Dong-A Ilbo)", False),
        ("WLD", "import", "2025-08", "preliminary", 51_890e6, 10e6, "51860 mn USD (MOTIE via Reuters)", True),
        ("WLD", "import", "2026-02", "other", 51_936e6, 1e6, None, False),
        ("WLD", "import", "2026-02", "preliminary", 51_940e6, 10e6, None, True),
    ]
    conflicts = serving.execute("""SELECT DISTINCT partner_code, flow, strftime(period_start, '%Y-%m')
        FROM marts.monthly_releases WHERE conflicting_with IS NOT NULL ORDER BY ALL""").fetchall()
    # 2025-08 US: 87.4 vs 87.6억 (two reports of the ministry's release); 2026-05: 875, 877.5 and 878억
    assert conflicts == [("USA", "export", "2025-08"), ("WLD", "export", "2026-05"), ("WLD", "import", "2025-08")]


def test_no_release_outranks_the_final_statistics(serving):
    used = serving.execute("""SELECT count(*) FILTER (WHERE used_by_marts), count(*) FROM marts.monthly_releases
        WHERE frequency = 'month' AND partner_code IN ('USA', 'CHN') AND flow = 'export'""").fetchone()
    assert used[0] == 0 and used[1] > 30  # every US and China month has final customs statistics now


def test_every_row_of_the_release_files_is_kept_with_its_basis(serving):
    file_rows = [(path, r) for path in (RELEASES, ADDITIONS) for r in rows(path)]
    basis = serving.execute("""SELECT frequency, value_basis, count(*) FROM marts.monthly_releases
        WHERE source IN (?, ?) GROUP BY ALL ORDER BY ALL""",
                            [str(p.relative_to(REPO)) for p in (RELEASES, ADDITIONS)]).fetchall()  # fmt: skip
    annual = [r for _, r in file_rows if len(r["period"]) == 4]
    # each release row with its date as the parser reads it (an undated row: its file's vintage, vintages.csv)
    vintage = {RELEASES: "2026-12-02", ADDITIONS: "2026-12-07"}
    parsed = [
        (r.period, r.partner_code, r.value_basis, r.release_date if isinstance(r.release_date, str) else vintage[path])
        for path in (RELEASES, ADDITIONS)
        for r in parse_releases(path, read_table(path)).itertuples()
        if r.frequency == "month"
    ]
    # a growth rate is valued on the published value of the same partner a year earlier released by its own date
    # (point in time): the customs statistics (nine partners, every country: 2026-08-31) or a release. The releases'
    # Middle East and Latin America are partners of their own (no value a year earlier); Vietnam has no 2024 month
    printed = [(period, partner, day) for period, partner, value_basis, day in parsed if value_basis == "published"]
    published = printed + [
        (r["period"], NINE.get(r["region_code"], r["region_code"]), "2026-08-31") for r in rows(NINE_MARKETS)
    ]
    published += [(r["기준월"][:7], "VNM", "2026-08-31") for r in rows(COUNTRIES) if r["국가코드"] == "VN"]
    growth = [(p, partner, day) for p, partner, value_basis, day in parsed if value_basis == "growth only"]
    base_days = [
        [d for b, partner_b, d in published if (next_year(b), partner_b) == (p, partner)] for p, partner, _ in growth
    ]
    on_date = sum(1 for (*_, day), days in zip(growth, base_days, strict=True) if days and min(days) <= day)
    later = sum(1 for (*_, day), days in zip(growth, base_days, strict=True) if days and min(days) > day)
    assert {(f, b): n for f, b, n in basis} == {
        ("month", "published"): len(printed),
        ("month", "derived from growth"): on_date,
        ("month", "growth only, base published later"): later,  # e.g. 2025-12 US: the 2024-12 base is of 2026-08-31
        ("month", "growth only, no published base"): len(growth) - on_date - later,
        ("month", "not published"): 1,  # China 2025-11 in the first file: "not found" (the additions print it)
        ("year", "published"): sum(1 for r in annual if r["value_usd_mn"]),
        ("year", "growth only"): sum(1 for r in annual if not r["value_usd_mn"]),
    }
    assert sum(n for *_, n in basis) == len(file_rows) == 146 + 39


def next_year(month: str) -> str:
    return f"{int(month[:4]) + 1}{month[4:]}"


@pytest.mark.parametrize(
    ("text", "step"), [("9290", 10), ("9900", 100), ("10000", 100), ("67448", 1), ("674.5", 0.1), ("", None)]
)
def test_the_rounding_step_of_a_printed_value(text, step):
    assert precision_mn(text) == step


def test_release_dates_are_row_vintages_and_a_year_is_a_year():
    frame = parse_releases(RELEASES, read_table(RELEASES))
    dated = frame.set_index("source_row")["release_date"]
    assert dated[2] == "2025-02-01"  # as printed
    assert dated[25] == "2025-03-31"  # final KCS of 2025-02 without a date: out by the end of March
    assert dated.isna()[11]  # a compilation without a date: the file's vintage (2026-12-02, vintages.csv)
    annual = parse_releases(ADDITIONS, read_table(ADDITIONS))
    us = annual[(annual.partner_code == "USA") & (annual.frequency == "year") & annual.value_usd.notna()]
    assert us[["period", "value_usd", "release_type", "release_date"]].values.tolist() == [
        ["2025-01", 122_900e6, "preliminary", "2026-01-01"]
    ]
    # the releases' Middle East and Latin America are their own definitions, not the customs aggregation
    assert {"MIDDLE_EAST_MOTIE", "LATAM_MOTIE"} <= set(annual.partner_code)


def test_customs_provisional_totals_are_months_and_the_flashes_are_left_out():
    fmt, frame = parse_file(FEEDS["kcs_monthly_partner"], PROVISIONAL)
    assert fmt.name == "kcs_provisional_totals"
    columns = ["period", "partner_code", "flow", "value_usd", "release_type", "release_date", "source_row"]
    assert frame[columns].sort_values(["period", "flow"]).values.tolist() == [
        ["2026-08", "WLD", "export", 98_255e6, "preliminary", "2026-09-01", 2],
        ["2026-08", "WLD", "import", 63_507e6, "preliminary", "2026-09-01", 2],
        ["2026-09", "WLD", "export", 120_944e6, "preliminary", "2026-10-01", 5],
        ["2026-09", "WLD", "import", 71_092e6, "preliminary", "2026-10-01", 5],
    ]  # rows 3 and 4 are the 10- and 20-day flashes of September: not months  # fmt: skip


def test_a_bad_release_file_is_rejected_naming_file_row_and_rule(warehouse):
    header = "period,region_code,flow,value_usd_mn,yoy_pct,release,release_date,publisher,citing_url\n"
    landing = drop(
        warehouse,
        "kcs_monthly_partner",
        "releases_2026_08.csv",
        header
        + "2026-08,USA,export,,n/a,preliminary MOTIE,2026-09-01,MOTIR,https://example.org/a\n"
        + "2026-08,CHN,export,21000,5.0,press release,2026-09-01,MOTIR,https://example.org/b\n"
        + "2026-H1,CHN,export,21000,5.0,preliminary MOTIE,2026-09-01,MOTIR,https://example.org/b\n",
    )
    message = assert_rejected(
        warehouse,
        landing,
        "releases_2026_08.csv: rule 'growth rate is a number' failed at row(s) 2",
        "growth rate is a number",
        "release is preliminary MOTIE, final KCS or other",
    )
    assert "rule 'release is preliminary MOTIE, final KCS or other' failed at row(s) 3" in message
    assert "rule 'period is a month (YYYY-MM, YYYY.MM or YYYY-MM-01)' failed at row(s) 4" in message


def test_a_new_monthly_release_moves_the_headline(republished):
    """The preliminary release of 2026-08 (republished.RELEASE_2026_08), landed with the shared second publication."""
    with duckdb.connect(str(republished.root / "serving.duckdb"), read_only=True) as con:
        assert con.execute("""SELECT leader_code, margin_usd, us_release_type, us_share FROM marts.us_china_lead
            WHERE period_start = DATE '2026-08-01'""").fetchone() == (
            "CHN", pytest.approx(3.4e9), "preliminary", pytest.approx(18_500 / 98_255))  # fmt: skip
        # a preliminary figure never replaces a final one: July stays on the customs statistics
        assert con.execute("""SELECT us_release_type FROM marts.us_china_lead
            WHERE period_start = DATE '2026-07-01'""").fetchone() == ("customs statistics",)


@pytest.mark.parametrize(
    ("shipped", "name", "rows", "message", "rule"),
    [
        (
            PROVISIONAL,
            "provisional_2026_10.csv",
            "2026.10,MONTH,31,2026-11-01,약 1200억,65904,,71092,56420,26.0,,,,,,,,https://customs.go.kr/x\n"
            "2026.10,D10,10,2026-10-11,34973,19154,82.6,24606,20383,20.7,10367,,,,,,,https://customs.go.kr/y\n",
            "provisional_2026_10.csv: rule 'value is a number' failed at row(s) 2",
            "value is a number",
        ),
        (
            COUNTRIES,
            "countries_2026_10.csv",
            "US,미국,2026-10-01,1,17000000000,1,9000000000,8000000000\nXX,없는나라,2026-10-01,1,5000000,1,5000000,0\n",
            "countries_2026_10.csv: rule 'partner code is known (ISO-3 country, partner group or WLD)' failed at "
            "row(s) 3",
            "partner code is known",
        ),
    ],
    ids=["provisional totals", "all countries"],
)
def test_a_bad_file_of_a_new_format_is_rejected_naming_file_row_and_rule(warehouse, shipped, name, rows, message, rule):
    header = shipped.read_text(encoding="utf-8").splitlines()[0]
    landing = drop(warehouse, "kcs_monthly_partner", name, header + "\n" + rows)
    assert_rejected(warehouse, landing, message, rule)


@pytest.mark.parametrize("day", ["2025-06-01", "2026-03-05", "2026-12-07"])
def test_as_of_a_date_no_derived_value_uses_a_base_published_after_it(serving, day):
    """Every value derived from a growth rate that was known on `day` grows a base released by its own vintage."""
    derived = serving.execute(
        """SELECT period_start, partner_code, vintage, derived_from_vintage FROM marts.export_vintages
        WHERE value_basis = 'derived from growth' AND vintage <= ?""",
        [day],
    ).fetchall()
    assert all(base <= vintage for *_, vintage, base in derived), derived
    bases = serving.execute(
        """SELECT count(*) FROM marts.export_vintages AS d JOIN marts.export_vintages AS b
             ON b.partner_code = d.partner_code AND b.period_start = d.period_start - INTERVAL 1 YEAR
            AND b.vintage = d.derived_from_vintage AND b.value_basis = 'published'
        WHERE d.value_basis = 'derived from growth' AND d.vintage <= ?""",
        [day],
    ).fetchone()[0]
    assert bases == len(derived)


def test_a_growth_rate_grows_the_base_known_on_its_date_and_a_later_base_adds_a_vintage(serving):
    """EU 2026-01: the ministry printed only +6.9 % on 2026-02-01 (growth rate in the releases file); its base, EU
    2025-01, was 5,040 mn USD on 2025-02-01 (preliminary) and 5,040.8 on the final statistics of 2026-08-31."""
    [rate] = [r for r in rows(RELEASES) if (r["period"], r["region_code"], r["release_date"]) ==
              ("2026-01", "EU27", "2026-02-01") and not r["value_usd_mn"]]  # fmt: skip
    [base] = [r for r in rows(RELEASES) if (r["period"], r["region_code"], r["release"]) ==
              ("2025-01", "EU27", "preliminary MOTIE")]  # fmt: skip
    growth = 1 + float(rate["yoy_pct"]) / 100
    found = serving.execute("""SELECT vintage, derived_from_vintage, exports_usd FROM marts.export_vintages
        WHERE partner_code = 'EU27' AND period_start = DATE '2026-01-01' AND release_type = 'preliminary'
          AND value_basis = 'derived from growth' ORDER BY vintage""").fetchall()
    assert found == [
        (date(2026, 2, 1), date(2025, 2, 1), pytest.approx(float(base["value_usd_mn"]) * 1e6 * growth)),
        (date(2026, 8, 31), date(2026, 8, 31), pytest.approx(final("EU27", "2025-01") * growth)),
    ]
