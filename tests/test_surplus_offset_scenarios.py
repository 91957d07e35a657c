"""marts.surplus_offset_scenarios and marts.published_trade_figures, recomputed from the shipped files with the csv
module: the surplus with the US from the monthly customs file (KOSIS for 2019), crude oil + LNG imports from the
US from the published figures (KITA 2024: crude 14,249 + LNG 3,092 = 17,341 mn USD), energy and agri-food
imports for January–June 2024, from the US and from the world, from the HS-chapter file."""

import csv
import re
from collections import Counter, defaultdict
from pathlib import Path

import pytest
import yaml

from tests.helpers import SAMPLE

NINE_MARKETS = SAMPLE / "kcs_monthly_partner" / "trade_region_2021_08_2026_07.csv"
TOP5_MONTHLY = SAMPLE / "kcs_monthly_partner" / "kcs_top5_partners_monthly_2000_2021.csv"
KOSIS = SAMPLE / "kosis_annual_partner" / "kosis_trade_by_partner_annual_1949_2023.csv"
HS2_JAN_JUN = SAMPLE / "kcs_product_partner" / "kcs_hs2_by_country_2024_jan_jun.csv"
TRADE_BY_PRODUCT = SAMPLE / "published_figures" / "trade_by_product.csv"
DBT_VARS = yaml.safe_load((Path(__file__).parents[1] / "dbt_project" / "dbt_project.yml").read_text())["vars"]
THRESHOLD = float(DBT_VARS["surplus_watch_threshold_usd_per_year"])

COLUMNS = (
    "balance_usd, target_balance_usd, extra_imports_needed_usd, energy_imports_usd, energy_imports_scope, "
    "energy_imports_basis, energy_imports_source, extra_over_energy_imports, agri_food_imports_usd, "
    "agri_food_imports_scope, agri_food_imports_basis, extra_over_agri_food_imports, "
    "energy_imports_from_world_usd, energy_imports_from_world_basis, us_share_of_energy_imports_needed"
)


def rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def us_balance(period_prefix: str) -> float:
    """Korea's balance with the US over the months starting with the prefix (exports − imports, USD)."""
    months = [r for r in rows(NINE_MARKETS) if r["region_code"] == "US" and r["period"].startswith(period_prefix)]
    return sum(float(r["export_usd"]) - float(r["import_usd"]) for r in months)


def scenario(con, year: int, target: str, frequency: str = "year") -> dict:
    names = [c.strip() for c in COLUMNS.split(",")]
    found = con.execute(
        f"""SELECT {COLUMNS} FROM marts.surplus_offset_scenarios
            WHERE partner_code = 'USA' AND year = ? AND frequency = ? AND target = ?""",
        [year, frequency, target],
    ).fetchall()
    assert len(found) == 1
    return dict(zip(names, found[0], strict=True))


def published_us_energy() -> dict[int, float]:
    """Korea's crude oil + LNG imports from the US by year, USD, as the published figures give them: the
    crude_oil_plus_lng row, else crude_oil + lng of one publisher (KITA, MOTIE)."""
    values = defaultdict(dict)  # year -> (subject, publisher family) -> USD
    for r in rows(TRADE_BY_PRODUCT):
        wanted = ("trade_by_product", "import", "USA", "value", "year")
        if (r["dataset"], r["flow"], r["partner_code"], r["metric"], r["period"]) != wanted or not r["year"].isdigit():
            continue
        family = re.match(r"[A-Za-z]+", r["publisher"]).group()
        values[int(r["year"])][(r["subject"], family)] = float(r["value"])
    energy = {}
    for year, figures in values.items():
        plus = [v for (subject, _), v in figures.items() if subject == "crude_oil_plus_lng"]
        pairs = [v + figures[("lng", fam)] for (subject, fam), v in figures.items()
                 if subject == "crude_oil" and ("lng", fam) in figures]  # fmt: skip
        if plus or pairs:
            energy[year] = (plus or pairs)[0]
    return energy


def test_2024_watch_threshold_in_multiples_of_crude_and_lng_imports(serving):
    surplus = us_balance("2024-")
    energy = published_us_energy()[2024]
    assert energy == 17_341_000_000  # KITA 2024: crude 14,249 + LNG 3,092 mn USD, its own crude + LNG row
    assert energy == pytest.approx(14_249_000_000 + 3_092_000_000)

    row = scenario(serving, 2024, "watch threshold")
    assert row["balance_usd"] == pytest.approx(surplus, abs=0.5)
    assert row["target_balance_usd"] == THRESHOLD == 15e9
    assert row["extra_imports_needed_usd"] == pytest.approx(surplus - THRESHOLD, abs=0.5)
    assert row["energy_imports_usd"] == energy
    assert row["extra_over_energy_imports"] == pytest.approx((surplus - THRESHOLD) / energy, rel=1e-12)
    assert "crude oil + LNG" in row["energy_imports_basis"] and "Korea customs basis" in row["energy_imports_basis"]
    assert row["energy_imports_scope"] == "crude oil + LNG"
    assert "crude_oil_plus_lng 2024" in row["energy_imports_source"] and "KITA" in row["energy_imports_source"]
    # what the analysts quote: a 55.6 bn surplus, 40.6 bn to buy, 2.34 times the crude + LNG bought
    assert round(surplus / 1e9, 1) == 55.6 and round(row["extra_over_energy_imports"], 2) == 2.34
    # no published agri-food figure for 2024 and no world energy figure: unknown, not zero
    assert (row["agri_food_imports_usd"], row["agri_food_imports_scope"], row["agri_food_imports_basis"]) == (None,) * 3
    assert row["energy_imports_from_world_usd"] is None and row["us_share_of_energy_imports_needed"] is None


def test_2024_other_targets(serving):
    surplus, previous = us_balance("2024-"), us_balance("2023-")
    energy = published_us_energy()[2024]
    for target, level in (("previous year", previous), ("balanced", 0.0)):
        row = scenario(serving, 2024, target)
        assert row["target_balance_usd"] == pytest.approx(level, abs=0.5)
        assert row["extra_imports_needed_usd"] == pytest.approx(surplus - level, abs=0.5)
        assert row["extra_over_energy_imports"] == pytest.approx((surplus - level) / energy, rel=1e-9)


def test_years_without_a_published_energy_figure_have_null_energy_columns(serving):
    energy = published_us_energy()
    served = serving.execute("""
        SELECT year, energy_imports_usd, energy_imports_basis, energy_imports_source, extra_over_energy_imports
        FROM marts.surplus_offset_scenarios WHERE partner_code = 'USA' AND frequency = 'year'""").fetchall()
    years = {year for year, *_ in served}
    assert {2019, 2022} <= years - set(energy)  # values not found (PROVENANCE caveat a)
    assert {2016, 2017, 2018, 2020, 2021, 2023, 2024} == set(energy)
    for year, value, basis, source, multiple in served:
        if year in energy:
            assert value == pytest.approx(energy[year]) and basis and source and multiple is not None
        else:  # no full customs year either in the shipped data
            assert (value, basis, source, multiple) == (None, None, None, None), year


def test_no_negative_amount_below_the_target(serving):
    """2019: an 11.5 bn surplus, below the 15 bn threshold and below 2018's: 0 to buy, not a negative amount.
    Exports to the US: the sum of the months (monthly customs file); imports: KOSIS annual (no monthly imports)."""
    kosis = {int(r["year"]): r["import_kosis"] for r in rows(KOSIS) if r["iso3c"] == "USA"}

    def balance(year: int) -> float:
        exports = sum(float(r["export_USA"]) for r in rows(TOP5_MONTHLY) if r["Date"].startswith(f"{year}-"))
        return exports - float(kosis[year])

    balance_2019 = balance(2019)
    assert balance_2019 < min(THRESHOLD, balance(2018))
    for target in ("watch threshold", "previous year"):
        row = scenario(serving, 2019, target)
        assert row["balance_usd"] == pytest.approx(balance_2019, abs=0.5)
        assert row["extra_imports_needed_usd"] == 0
    assert scenario(serving, 2019, "balanced")["extra_imports_needed_usd"] == pytest.approx(balance_2019, abs=0.5)

    below, negative, wrong = serving.execute("""
        SELECT count(*) FILTER (WHERE balance_usd <= target_balance_usd),
               count(*) FILTER (WHERE extra_imports_needed_usd < 0),
               count(*) FILTER (WHERE extra_imports_needed_usd <> greatest(balance_usd - target_balance_usd, 0))
        FROM marts.surplus_offset_scenarios""").fetchone()
    assert below > 0 and negative == 0 and wrong == 0


def test_january_june_2024_all_customs(serving):
    """The half-year row: balance from the monthly file, energy (HS 27) and agri-food (HS 01-24) from the US
    from the chapter file (thousand USD), the threshold halved; the world's HS 27 imports are every partner row of
    chapter 27 in the file (the unspecified countries, 기타국, included), so the US share needed is known."""
    chapters = {
        int(r["HS코드"]): float(r["수입 금액"]) * 1000 for r in rows(HS2_JAN_JUN) if r["국가"].strip() == "미국"
    }
    energy, agri_food = chapters[27], sum(v for c, v in chapters.items() if 1 <= c <= 24)
    world_energy = sum(float(r["수입 금액"]) * 1000 for r in rows(HS2_JAN_JUN) if r["HS코드"] == "27")
    assert round(world_energy / 1e9, 2) == 83.29
    surplus = sum(us_balance(f"2024-0{m}") for m in range(1, 7))
    row = scenario(serving, 2024, "watch threshold", "half")
    assert row["balance_usd"] == pytest.approx(surplus, abs=0.5)
    assert row["target_balance_usd"] == THRESHOLD / 2
    assert row["energy_imports_usd"] == pytest.approx(energy, abs=0.5)
    assert row["agri_food_imports_usd"] == pytest.approx(agri_food, abs=0.5)
    assert row["extra_over_energy_imports"] == pytest.approx((surplus - THRESHOLD / 2) / energy, rel=1e-9)
    assert row["extra_over_agri_food_imports"] == pytest.approx((surplus - THRESHOLD / 2) / agri_food, rel=1e-9)
    assert row["energy_imports_basis"].startswith("customs") and "HS 27" in row["energy_imports_basis"]
    assert (row["energy_imports_scope"], row["agri_food_imports_scope"]) == (
        "all mineral fuels (HS 27)",
        "agri-food (HS 01-24)",
    )
    assert row["energy_imports_from_world_usd"] == pytest.approx(world_energy, abs=0.5)
    assert row["energy_imports_from_world_basis"] == row["energy_imports_basis"]  # the same scope and source
    needed = (energy + surplus - THRESHOLD / 2) / world_energy
    assert row["us_share_of_energy_imports_needed"] == pytest.approx(needed, rel=1e-9)
    assert round(needed * 100, 1) == 39.5  # 11.4 bn bought + 21.5 bn more, of 83.3 bn


def test_every_energy_and_agri_food_figure_names_its_scope(serving):
    """The energy denominator differs between rows (published crude oil + LNG in the years, customs HS 27 in the
    half-year): every row with a figure names its scope, and the shipped data give one scope per frequency."""
    scopes = serving.execute("""
        SELECT DISTINCT frequency, energy_imports_scope, split_part(energy_imports_basis, ',', 1)
        FROM marts.surplus_offset_scenarios WHERE energy_imports_usd IS NOT NULL ORDER BY ALL""").fetchall()
    assert scopes == [
        ("half", "all mineral fuels (HS 27)", "customs (imports CIF)"),
        ("year", "crude oil + LNG", "published"),
    ]
    unnamed = serving.execute("""
        SELECT count(*) FROM marts.surplus_offset_scenarios
        WHERE (energy_imports_usd IS NULL) <> (energy_imports_scope IS NULL)
           OR (agri_food_imports_usd IS NULL) <> (agri_food_imports_scope IS NULL)""").fetchone()[0]
    assert unnamed == 0


def test_published_trade_figures_keeps_every_typed_row_with_its_citation(serving):
    def key(year, period, flow, partner, subject, metric, value, unit, release, url):
        return (year, period, flow, partner, subject, metric, round(float(value), 6), unit, release, url)

    typed = Counter(
        key(r["year"], r["period"], r["flow"], r["partner_code"], r["subject"], r["metric"], r["value"], r["unit"],
            r["release"], r["citation_url"])
        for r in rows(TRADE_BY_PRODUCT) if r["dataset"] == "trade_by_product"
    )  # fmt: skip
    served = serving.execute("""
        SELECT year_label, period, flow, partner_code, product_group, metric, value, unit, release, citation_url,
               reporter, year
        FROM marts.published_trade_figures""").fetchall()
    assert Counter(key(*r[:10]) for r in served) == typed
    assert len(served) == sum(typed.values()) == 165
    assert all(url.startswith(("http://", "https://")) for *_, url in typed)
    for r in served:  # Korea's side and the partner's own statistics are told apart
        flow, partner, reporter = r[2], r[3], r[10]
        assert reporter == (partner if flow == "partner_export" else "KOR")
    spans = {r[0] for r in served if r[11] is None}  # year NULL only for spans of years, kept as text
    assert spans == {label for label, *_ in typed if not label.isdigit()}
    assert spans == {"2012-2018", "2012-2019", "2017-2020", "2021-2024"}
