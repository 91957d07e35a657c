"""Indirect exports to the US: the published estimates as published, and the computed gross proxy of exposure
to US demand through China, recomputed from the IMF DOTS workbook of China and the Korea Customs file."""

import csv
from collections import defaultdict
from pathlib import Path

import openpyxl
import pytest
import yaml

SAMPLE = Path(__file__).parents[1] / "data" / "sample"
VALUE_ADDED = SAMPLE / "published_figures" / "value_added.csv"
DOTS_CHINA = SAMPLE / "partner_reported_trade" / "DOTS_40_china_mainland.xlsx"
TOP5 = SAMPLE / "kcs_monthly_partner" / "kcs_top5_partners_monthly_2000_2021.csv"
MART_YAML = Path(__file__).parents[1] / "dbt_project" / "models" / "marts" / "value_added_exports.yml"
METHOD = (
    "gross proxy, upper bound: Korea's exports to China × US share of China's exports (IMF DOTS, China-reported), "
    "as if every export to China were re-exported; not a value-added estimate"
)
UPPER_BOUND = "upper bound: if every export to China were re-exported"


def rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def china_exports_by_partner() -> dict[str, dict[int, float]]:
    """China's exports (USD) to each partner per year, from the DOTS sheet 'Exports, FOB' (USD millions)."""
    sheet = openpyxl.load_workbook(DOTS_CHINA, read_only=True)["Exports, FOB"]
    table = list(sheet.iter_rows(values_only=True))
    years = {i: int(y) for i, y in enumerate(table[6]) if y is not None}  # header row 7: '1961', '1978', ...
    return {
        row[1]: {years[i]: float(v) * 1e6 for i, v in enumerate(row) if i in years and v is not None}
        for row in table[7:]
        if row[1]
    }


def korea_exports_to_china(year: int) -> float:
    return sum(float(r["export_CHI"]) for r in rows(TOP5) if r["Date"].startswith(f"{year}-"))


def proxy_rows(serving) -> dict[int, tuple]:
    return {
        r[0]: r[1:]
        for r in serving.execute("""SELECT year, value, korea_exports_to_transit_usd, us_share_of_transit_exports,
            institute, method, channel, unit FROM marts.value_added_exports WHERE basis = 'computed'""").fetchall()
    }


def test_china_channel_proxy_2020_recomputed_from_the_workbook_and_customs(serving):
    china = china_exports_by_partner()
    us_share = china["United States"][2020] / china["World"][2020]
    korea = korea_exports_to_china(2020)
    value, korea_served, share_served, institute, method, channel, unit = proxy_rows(serving)[2020]
    assert share_served == pytest.approx(us_share, rel=1e-9)
    assert korea_served == pytest.approx(korea, abs=1)
    assert value == pytest.approx(korea * us_share, rel=1e-9)
    assert round(value / 1e9, 2) == 23.11  # 132.57 bn × 17.43 %
    assert (institute, method, channel, unit) == ("computed (this warehouse)", METHOD, "China → USA", "USD")


def test_china_channel_proxy_covers_every_year_both_inputs_exist(serving):
    china = china_exports_by_partner()
    dots_years = set(china["United States"]) & set(china["World"])
    served = proxy_rows(serving)
    assert set(served) <= dots_years
    assert max(served) == 2020  # the DOTS workbooks end in 2020
    # Korean customs exports to China exist every year from 1980 (KOSIS) to 2024, so each DOTS year from 1980 is in
    assert set(served) == {y for y in dots_years if y >= 1980}
    for year in (2000, 2010, 2019):
        us_share = china["United States"][year] / china["World"][year]
        assert served[year][0] == pytest.approx(korea_exports_to_china(year) * us_share, rel=1e-9)


def test_the_china_proxy_is_an_upper_bound_and_says_so(serving):
    """Every Korean export to China counted as re-exported: no proxy can exceed Korea's exports to China times the
    US share, which is what it is; so the mart calls it an upper bound in its qualifier and method, and the column
    description says so."""
    rows = serving.execute("""SELECT value, korea_exports_to_transit_usd, us_share_of_transit_exports, qualifier,
        method FROM marts.value_added_exports WHERE institute = 'computed (this warehouse)'""").fetchall()
    assert rows
    for value, korea, share, qualifier, method in rows:
        assert value == pytest.approx(korea * share, rel=1e-9)  # all of the exports, no share kept in China
        assert qualifier == UPPER_BOUND and "upper bound" in method and "every export to China" in method
    published = serving.execute("""SELECT count(*) FROM marts.value_added_exports
        WHERE basis = 'published' AND qualifier LIKE 'upper bound: if every export%'""").fetchone()[0]
    assert published == 0
    models = yaml.safe_load(MART_YAML.read_text(encoding="utf-8"))["models"]
    (columns,) = [m["columns"] for m in models if m["name"] == "value_added_exports"]
    (qualifier,) = [c["description"] for c in columns if c["name"] == "qualifier"]
    assert UPPER_BOUND in qualifier
    (description,) = [m["description"] for m in models if m["name"] == "value_added_exports"]
    assert "upper bound" in description and "same proportion as everything else" not in description


def test_no_asean_channel_without_asean_partner_data(serving):
    channels = {c for (c,) in serving.execute("SELECT DISTINCT channel FROM marts.value_added_exports").fetchall()}
    assert not any("ASEAN" in c and "→" in c for c in channels)  # only the BOK statement names ASEAN


def test_published_estimates_as_published(serving):
    published = rows(VALUE_ADDED)
    served = serving.execute("""SELECT indicator, year_label, channel, value, unit, share, institute, publisher,
        citation_url FROM marts.value_added_exports WHERE basis = 'published'""").fetchall()
    assert len(served) == len(published)
    by_key = {(r[0], r[1], r[2]): r for r in served}
    for p in published:
        indicator, year, channel, value, unit, share, _, publisher, citation = by_key[
            (p["subject"], p["year"], p["breakdown"])
        ]
        assert value == (pytest.approx(float(p["value"])) if p["value"] else None)
        assert share == (pytest.approx(float(p["value"]) / 100) if p["unit"] == "percent" else None)
        assert (publisher, citation) == (p["publisher"], p["citation_url"])
    institutes = defaultdict(set)
    for r in served:
        institutes[r[6]].add(r[0])
    assert institutes["HRI"] == {
        "kr_indirect_exports_to_us_value_added",
        "kr_indirect_exports_to_us_share_of_va_exports",
    }
    assert set(institutes) == {"HRI", "KIET", "KEF", "OECD TiVA summary", "BOK", "unknown"}
    hri = by_key[("kr_indirect_exports_to_us_value_added", "2020", "via third countries (total)")]
    assert hri[3] / 1e9 == pytest.approx(44.0)
