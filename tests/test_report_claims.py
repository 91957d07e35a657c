"""marts.report_claims: every claim of the Bank of Korea's note, checked against figures recomputed here from the
shipped files; a claim no figure can check is `not computable` with what would settle it, never `reproduced`."""

import csv
from collections import defaultdict

import pytest

from tests.helpers import SAMPLE

KCS = SAMPLE / "kcs_monthly_partner"
NINE_MARKETS = KCS / "trade_region_2021_08_2026_07.csv"
EXPECTED_STATUS = {
    "q1_2024_crossover": "reproduced",
    "q1_2024_us": "contradicted",  # 31.0 as published, 30.94 bn after the customs revision of March 2024
    "q1_2024_cn": "reproduced",
    "us_share_2011": "reproduced",
    "us_share_2023": "reproduced",
    "surplus_usa_2023": "reproduced",
    "surplus_usa_2023_record": "reproduced",
    "deficit_chn_2023": "reproduced",
    "surplus_usa_2019": "contradicted",  # MOTIE's 11.4 against 11.47 bn in the customs data
    "surplus_usa_2020": "reproduced",
    "surplus_usa_2021": "reproduced",
    "surplus_usa_2022": "reproduced",
    "sme_usa_above_china_2024": "reproduced",
    "exports_rise_with_investment": "reproduced",
    "consumer_goods_share": "not computable",
    "recommendation": "not computable",
    "indirect_exports": "not computable",
    "value_added_importance": "not computable",
    "intermediate_goods": "not computable",
    "sme_struggle": "not computable",
    "fdi_risk": "not computable",
    "sanctions": "not computable",
    "outlook": "not computable",
    "outlook_us_growth_2025": "contradicted",  # exports to the US fell 3.8 % in 2025
    "outlook_us_lead_2025": "contradicted",  # the US ahead in 4 of the 11 months of 2025 with both values
}


def rows(path) -> list[dict]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def monthly(region: str, column: str) -> dict[str, float]:
    return {r["period"]: float(r[column]) for r in rows(NINE_MARKETS) if r["region_code"] == region}


@pytest.fixture(scope="module")
def claims(serving) -> dict[str, dict]:
    cursor = serving.execute("SELECT * FROM marts.report_claims")
    names = [d[0] for d in cursor.description]
    return {r[0]: dict(zip(names, r, strict=True)) for r in cursor.fetchall()}


def test_every_claim_has_its_status(claims):
    assert {k: v["status"] for k, v in claims.items()} == EXPECTED_STATUS


def test_q1_2024_against_the_latest_figures_and_as_of_the_note(claims):
    latest = {
        code: sum(monthly(region, "export_usd")[f"2024-0{m}"] for m in (1, 2, 3)) / 1e9
        for code, region in (("us", "US"), ("cn", "CN"))
    }
    at_release = defaultdict(float)  # MOTIE's preliminary releases of January, February and March 2024
    for month, release in (("01", "02-01"), ("02", "03-01"), ("03", "04-01")):
        for r in rows(KCS / f"motie_preliminary_2024_{month}__vintage-2024-{release}.csv"):
            at_release[r["partner_code"]] += float(r["value_usd"]) / 1e9
    us, cn = claims["q1_2024_us"], claims["q1_2024_cn"]
    assert us["computed_value"] == pytest.approx(latest["us"], abs=1e-6) == pytest.approx(30.942, abs=1e-3)
    assert cn["computed_value"] == pytest.approx(latest["cn"], abs=1e-6)
    assert us["computed_at_release"] == pytest.approx(at_release["USA"], abs=1e-6) == pytest.approx(30.96)
    assert (us["status"], us["status_at_release"]) == ("contradicted", "reproduced")  # revised after the note
    assert abs(us["difference"]) > us["tolerance"] == 0.05


def test_surpluses_against_the_customs_months(claims):
    for year in (2022, 2023):
        balance = sum(
            monthly("US", "export_usd")[m] - monthly("US", "import_usd")[m]
            for m in monthly("US", "export_usd")
            if m.startswith(str(year))
        )
        assert claims[f"surplus_usa_{year}"]["computed_value"] == pytest.approx(balance / 1e9, abs=1e-6)
    china = sum(
        monthly("CN", "export_usd")[m] - monthly("CN", "import_usd")[m]
        for m in monthly("CN", "export_usd")
        if m.startswith("2023")
    )
    assert claims["deficit_chn_2023"]["computed_value"] == pytest.approx(china / 1e9, abs=1e-6)


def test_claims_without_data_are_never_reproduced(claims):
    for claim in claims.values():
        if claim["test"] == "statement" or claim["computed_value"] is None:
            assert claim["status"] == "not computable", claim["claim_id"]
            assert claim["reason"].startswith("not computable: ") and len(claim["reason"]) > 40
    consumer = claims["consumer_goods_share"]
    assert consumer["computed_value"] is None and "HS 6-digit" in consumer["reason"]  # 5.5 % classified
    assert "surplus_offset_scenarios" in claims["recommendation"]["reason"]


def test_every_claim_cites_its_source(claims):
    assert all(c["citation_url"].startswith("http") and c["publisher"] for c in claims.values())
