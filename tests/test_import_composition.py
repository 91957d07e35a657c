"""marts.import_composition: Korea's imports by product group, checked against the shipped files (csv module)
and a hand-made OpenAPI `nitemtrade` body at HS 6-digit level (tests/fixtures/kcs/README.md)."""

import csv
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path

import duckdb
import pytest

from tests.helpers import SAMPLE
from tests.republished import ENERGY_HS6

HS2_JAN_JUN = SAMPLE / "kcs_product_partner" / "kcs_hs2_by_country_2024_jan_jun.csv"
NINE_MARKETS = SAMPLE / "kcs_monthly_partner" / "trade_region_2021_08_2026_07.csv"
SUB_GROUPS = {
    "crude oil (HS 2709)": ("2709",),
    "LNG (HS 271111)": ("271111",),
    "LPG (HS 271112-13)": ("271112", "271113"),
    "coal (HS 2701)": ("2701",),
}


def rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def us_imports_by_chapter_jan_jun_2024() -> dict[int, float]:
    """Korea's imports from the US by HS chapter, January–June 2024, USD (the file is in thousand USD)."""
    return {int(r["HS코드"]): float(r["수입 금액"]) * 1000 for r in rows(HS2_JAN_JUN) if r["국가"].strip() == "미국"}


def served(con, partner: str, period: str, frequency: str) -> dict[str, tuple]:
    return {
        group: rest
        for group, *rest in con.execute(
            """SELECT product_group, imports_usd, share_of_partner_imports, partner_imports_usd,
                      partner_imports_basis, coverage, detail_level
               FROM marts.import_composition
               WHERE partner_code = ? AND period_start = CAST(? AS DATE) AND frequency = ?
                 AND product_group_kind = 'product'""",
            [partner, period, frequency],
        ).fetchall()
    }


def test_energy_and_agri_food_shares_of_imports_from_the_us_jan_jun_2024(serving):
    chapters = us_imports_by_chapter_jan_jun_2024()
    total = sum(chapters.values())
    energy, agri_food = chapters[27], sum(v for c, v in chapters.items() if 1 <= c <= 24)
    groups = served(serving, "USA", "2024-01-01", "half")
    assert set(groups) == {"energy (HS 27)", "agri-food (HS 01-24)"}  # no sub-group from chapter data
    for group, value, coverage in (
        ("energy (HS 27)", energy, "exact (HS 27)"),
        ("agri-food (HS 01-24)", agri_food, "exact (HS 01-24)"),
    ):
        imports, share, denominator, basis, row_coverage, detail = groups[group]
        assert imports == pytest.approx(value, abs=0.5)
        assert denominator == pytest.approx(total, abs=0.5)
        assert share == pytest.approx(value / total, rel=1e-9)
        assert (basis, row_coverage, detail) == ("sum of HS chapters", coverage, "hs2")
    # the figures the report quotes
    assert round(total / 1e9, 3) == 35.546
    assert round(groups["energy (HS 27)"][1] * 100, 2) == 32.19
    assert round(groups["agri-food (HS 01-24)"][1] * 100, 2) == 14.12


def test_hs_sections_of_imports_from_the_us_add_up_to_the_total(serving):
    total = sum(us_imports_by_chapter_jan_jun_2024().values())
    sections, shares = serving.execute("""
        SELECT sum(imports_usd), sum(share_of_partner_imports) FROM marts.import_composition
        WHERE partner_code = 'USA' AND frequency = 'half' AND product_group_kind = 'hs_section'""").fetchone()
    assert sections == pytest.approx(total, abs=1)
    assert shares == pytest.approx(1, abs=1e-9)


def test_shipped_data_carry_no_energy_sub_groups(serving):
    """The shipped import data are HS chapters only: crude oil, LNG, LPG and coal need finer rows."""
    found = serving.execute(
        "SELECT count(*) FROM marts.import_composition WHERE product_group IN (?, ?, ?, ?)", list(SUB_GROUPS)
    ).fetchone()[0]
    assert found == 0


def test_nitemtrade_hs6_rows_give_crude_lng_lpg_and_coal(republished):
    """The OpenAPI nitemtrade body at HS 6 (republished.ENERGY_HS6), landed with the shared second publication."""
    expected = defaultdict(lambda: defaultdict(float))  # partner (ISO-2) -> group -> USD, from the XML
    for item in ET.parse(ENERGY_HS6).getroot().iter("item"):
        if item.findtext("year") != "2024.11":
            continue  # the 총계 total row
        for group, codes in SUB_GROUPS.items():
            if item.findtext("hsCd").startswith(codes):
                expected[item.findtext("statCd")][group] += float(item.findtext("impDlr"))
    us_total = next(
        float(r["import_usd"]) for r in rows(NINE_MARKETS) if r["region_code"] == "US" and r["period"] == "2024-11"
    )

    with duckdb.connect(str(republished.root / "serving.duckdb"), read_only=True) as con:
        us = served(con, "USA", "2024-11-01", "month")
        au = served(con, "AUS", "2024-11-01", "month")
    assert set(us) == set(SUB_GROUPS)  # all four, and no `energy (HS 27)` guessed from part of the chapter
    for group, value in expected["US"].items():
        imports, share, denominator, basis, coverage, detail = us[group]
        assert imports == pytest.approx(value)
        assert denominator == pytest.approx(us_total) and basis == "customs total"
        assert share == pytest.approx(value / us_total, rel=1e-9)
        assert detail == "hs4+" and coverage.startswith("exact (HS ")
    assert us["LPG (HS 271112-13)"][0] == pytest.approx(280_000_000 + 40_000_000)  # propane + butanes
    # Australia: no customs monthly total shipped, no chapter breakdown: the share is unknown, not guessed
    assert {g: v[0] for g, v in au.items()} == pytest.approx(dict(expected["AU"]))
    assert all(v[1] is None and v[2] is None for v in au.values())
