"""marts.import_composition and marts.product_composition add up: a BI user's sum over the rows their documentation
says to sum (one partner_kind, one product_group_kind and detail_level, `additive` rows) counts every dollar once,
and summing without those filters visibly does not. Expected values come from the shipped files (csv module):
the HS-chapter file of January–June 2024 (thousand USD) and the monthly HS 8542 file (USD), never from the marts."""

import csv
from collections import defaultdict
from pathlib import Path

import pytest

from tests.helpers import SAMPLE

HS2 = SAMPLE / "kcs_product_partner" / "kcs_hs2_by_country_2024_jan_jun.csv"
HS8542 = SAMPLE / "kcs_product_partner" / "kcs_hs8542_by_country_monthly_2020_2026_08.csv"
COUNTRY_NAMES = Path(__file__).parents[1] / "dbt_project" / "seeds" / "country_names_ko.csv"
# partners of the chapter file that are no country (PROVENANCE.md): in the world total, in no country
NOT_A_COUNTRY = {"기타국", "국제통화기금"}
FLOWS = {  # flow -> (mart, value column, column of the chapter file)
    "import": ("import_composition", "imports_usd", "수입 금액"),
    "export": ("product_composition", "exports_usd", "수출 금액"),
}
HALF = "frequency = 'half' AND period_start = DATE '2024-01-01'"


def rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def chapter_rows() -> list[dict]:
    return [r for r in rows(HS2) if r["기간"] != "총계"]


def file_total(column: str) -> float:
    """The file's own world total of all products (its 총계 row), USD."""
    return next(float(r[column]) * 1000 for r in rows(HS2) if r["기간"] == "총계")


def by_country(column: str) -> dict[str, float]:
    """Each country's total over all chapters, USD, by ISO-3 (the seed maps the file's Korean names)."""
    iso3 = {r["name_ko"]: r["iso3"] for r in rows(COUNTRY_NAMES)}
    totals = defaultdict(float)
    for r in chapter_rows():
        if r["국가"] not in NOT_A_COUNTRY:
            totals[iso3[r["국가"]]] += float(r[column]) * 1000
    return dict(totals)


def every_row(column: str) -> float:
    """All partners of the file, the unspecified ones included: the world, USD."""
    return sum(float(r[column]) * 1000 for r in chapter_rows())


def sums_by_partner(con, flow: str, where: str) -> dict[str, float]:
    mart, value, _ = FLOWS[flow]
    return dict(
        con.execute(f"SELECT partner_code, sum({value}) FROM marts.{mart} WHERE {where} GROUP BY ALL").fetchall()
    )


def kinds(flow: str) -> list[str]:
    return ["hs_section"] + (["bec_end_use"] if flow == "export" else [])


@pytest.mark.parametrize("flow", FLOWS)
def test_documented_sum_by_country_is_each_countrys_total(serving, flow):
    """Within one partner_kind, product_group_kind and detail_level, additive rows: each country's sum is its total
    in the file, to the dollar (US imports 35.546 bn, US exports 64.162 bn USD), for every grouping of the mart."""
    _, _, column = FLOWS[flow]
    expected = by_country(column)
    assert len(expected) == 244
    for kind in kinds(flow):
        where = f"{HALF} AND partner_kind = 'country' AND product_group_kind = '{kind}' AND detail_level = 'hs2'"
        served = sums_by_partner(serving, flow, where + " AND additive")
        assert served.keys() == expected.keys(), kind
        assert served == pytest.approx(expected, abs=1), kind
    assert round(expected["USA"] / 1e9, 3) == {"import": 35.546, "export": 64.162}[flow]


@pytest.mark.parametrize("flow", FLOWS)
def test_world_row_is_every_partner_and_countries_sum_below_it(serving, flow):
    """WLD sums every row of the file (unspecified countries included): within the rows' rounding of the file's own
    total; the countries' sum is below it by exactly the partners that are no country."""
    _, _, column = FLOWS[flow]
    for kind in kinds(flow):
        where = f"{HALF} AND product_group_kind = '{kind}' AND detail_level = 'hs2' AND additive"
        world = sums_by_partner(serving, flow, f"{where} AND partner_kind = 'world'")
        assert world == {"WLD": pytest.approx(every_row(column), abs=1)}
        assert abs(world["WLD"] - file_total(column)) <= 500 * len(chapter_rows())  # half a thousand USD a row
        countries = sum(sums_by_partner(serving, flow, f"{where} AND partner_kind = 'country'").values())
        others = sum(float(r[column]) * 1000 for r in chapter_rows() if r["국가"] in NOT_A_COUNTRY)
        assert countries == pytest.approx(world["WLD"] - others, abs=1) and others > 0


@pytest.mark.parametrize("flow", FLOWS)
def test_a_sum_without_the_documented_filters_double_counts(serving, flow):
    """What partner_kind, product_group_kind and additive are for: summing across partner kinds counts the
    countries again in their groups and in WLD; summing across kinds of grouping counts every dollar once per
    grouping (and the product groups on top)."""
    mart, value, column = FLOWS[flow]
    world = every_row(column)
    all_partners = serving.execute(
        f"SELECT sum({value}) FROM marts.{mart} WHERE {HALF} AND product_group_kind = 'hs_section'"
    ).fetchone()[0]
    assert all_partners > 2 * world * 0.99  # countries + WLD, plus the groups
    us = by_country(column)["USA"]
    us_every_row = serving.execute(f"SELECT sum({value}) FROM marts.{mart} WHERE {HALF} AND partner_code = 'USA'")
    assert us_every_row.fetchone()[0] > len(kinds(flow)) * us * 0.999


def test_consumption_with_passenger_cars_is_the_one_group_that_is_not_additive(serving):
    """product_composition: `consumption_incl_passenger_cars` repeats consumption + passenger_cars (additive = false);
    without it the end-use classes of a partner are its total, with it they are more."""
    us = by_country("수출 금액")["USA"]
    found = serving.execute(f"""
        SELECT product_group, additive, exports_usd FROM marts.product_composition
        WHERE {HALF} AND partner_code = 'USA' AND product_group_kind = 'bec_end_use'""").fetchall()
    not_additive = {group for group, additive, _ in found if not additive}
    assert not_additive == {"consumption_incl_passenger_cars"}
    assert sum(v for _, additive, v in found if additive) == pytest.approx(us, abs=1)
    assert sum(v for *_, v in found) > us
    flags = serving.execute("""
        SELECT product_group = 'consumption_incl_passenger_cars', bool_and(additive), bool_or(additive)
        FROM marts.product_composition GROUP BY 1 ORDER BY 1""").fetchall()
    assert flags == [(False, True, True), (True, False, False)]
    assert serving.execute("SELECT bool_and(additive) FROM marts.import_composition").fetchone()[0] is True


def test_monthly_hs8542_countries_sum_below_the_world_row(serving):
    """product_composition, semiconductors (HS 8542) by month: each country as in the file; WLD = all ten rows of
    the month (the nine countries and the rest of the world, OTHER); the countries' sum is WLD less OTHER, so only
    partner_kind = 'country' is summed across partners (CHN_HKG, a group, repeats China and Hong Kong)."""
    countries, world = defaultdict(float), defaultdict(float)
    for r in rows(HS8542):
        month = r["월"].replace(".", "-") + "-01"
        world[month] += float(r["수출금액_USD"])
        if r["국가코드"] != "OTHER":
            countries[month] += float(r["수출금액_USD"])
    served = {
        str(month): (country, wld, everything)
        for month, country, wld, everything in serving.execute("""
            SELECT period_start, sum(exports_usd) FILTER (WHERE partner_kind = 'country'),
                   sum(exports_usd) FILTER (WHERE partner_kind = 'world'), sum(exports_usd)
            FROM marts.product_composition
            WHERE frequency = 'month' AND product_group = 'semiconductors (HS 8542)' GROUP BY ALL""").fetchall()
    }
    assert served.keys() == world.keys() and len(world) == 80
    for month, (country, wld, everything) in served.items():
        assert (country, wld) == (pytest.approx(countries[month], abs=1), pytest.approx(world[month], abs=1)), month
        assert country < wld < everything, month
