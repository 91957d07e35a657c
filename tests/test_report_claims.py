"""marts.report_claims: every claim of the Bank of Korea's note in its source's words, checked against figures
recomputed here from the shipped files; a claim no figure can check is `not computable` with what would settle it,
never `reproduced`; a claim whose only figure is its own release is `restated`."""

import csv
from collections import defaultdict

import pytest

from tests.helpers import REPO, SAMPLE

KCS = SAMPLE / "kcs_monthly_partner"
NINE_MARKETS = KCS / "trade_region_2021_08_2026_07.csv"
NOTE_CLAIMS = REPO / "data" / "published" / "report_context" / "bok_issue_note_2024_9_claims.csv"
SME_RELEASES = REPO / "data" / "published" / "releases_2025_2026" / "sme_exports_releases_2023_2025.csv"
EXPECTED_STATUS = {
    "q1_2024_crossover": "reproduced",
    "q1_2024_us": "held at release, revised since",  # 31.0 as published: 30.96 bn then, 30.94 bn since March 2024
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
    "sme_usa_above_china_2024": "restated",  # the only figure is the MSS release the claim reports
    "exports_rise_with_investment": "reproduced",
    "consumer_goods_share": "not computable",
    "recommendation": "not computable",
    "indirect_exports": "not computable",
    "value_added_importance": "not computable",
    "intermediate_goods": "not computable",
    "sme_struggle": "not computable",
    "fdi_risk": "not computable",
    "sanctions": "not computable",
    "outlook": "reproduced",  # April-March: +6.1 % and +5.2 % (calendar 2025 alone fell 3.8 %)
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
    at_release = defaultdict(float)  # what was known when the note was written (April 2024)
    for name in (
        "kita_cumulative_minus_february_2024_01__vintage-2024-03-01.csv",  # January: a cumulative minus February
        "motie_preliminary_2024_02__vintage-2024-03-01.csv",
        "motie_preliminary_2024_03__vintage-2024-04-01.csv",
    ):
        for r in rows(KCS / name):
            at_release[r["partner_code"]] += float(r["value_usd"]) / 1e9
    us, cn = claims["q1_2024_us"], claims["q1_2024_cn"]
    assert us["computed_value"] == pytest.approx(latest["us"], abs=1e-6) == pytest.approx(30.942, abs=1e-3)
    assert cn["computed_value"] == pytest.approx(latest["cn"], abs=1e-6)
    assert us["computed_at_release"] == pytest.approx(at_release["USA"], abs=1e-6) == pytest.approx(30.96)
    assert (us["status"], us["status_at_release"]) == ("held at release, revised since", "reproduced")
    assert abs(us["difference"]) > us["tolerance"] == 0.05 >= abs(at_release["USA"] - 31.0)
    assert (cn["status"], cn["status_at_release"]) == ("reproduced", "reproduced")


def test_the_outlook_over_its_whole_window(claims):
    """The outlook, "stay strong for 1-2 years" from April 2024, read (by us, and labelled so) as: each April-March
    year of the window at least as high as a year earlier; every month of the window is observed."""
    us = monthly("US", "export_usd")
    growth = []
    for first_year in (2024, 2025):
        months = [f"{first_year}-{m:02d}" for m in range(4, 13)] + [f"{first_year + 1}-{m:02d}" for m in range(1, 4)]
        earlier = [f"{int(m[:4]) - 1}{m[4:]}" for m in months]
        growth.append(sum(us[m] for m in months) / sum(us[m] for m in earlier) - 1)
    outlook = claims["outlook"]
    assert growth == [pytest.approx(0.0609, abs=5e-4), pytest.approx(0.0519, abs=5e-4)]
    assert outlook["computed_value"] == pytest.approx(min(growth) * 100, abs=1e-6)
    assert outlook["status"] == "reproduced" and outlook["observed_share"] == 1.0
    assert outlook["test_reading"].startswith("ours: ") and "24 of 24 months observed" in outlook["reason"]
    assert "lead" not in outlook["claim"] and "outlook_us_lead_2025" not in claims  # no reading shown as the note's


def test_a_claim_checked_only_against_its_own_release_is_restated(claims):
    sme = claims["sme_usa_above_china_2024"]
    released = {r["destination_code"]: r for r in rows(SME_RELEASES) if r["year"] == "2024" and r["firm_size"] == "SME"}
    assert float(released["USA"]["value_usd_mn"]) > float(released["CHN"]["value_usd_mn"])  # 18,740 > 18,390
    assert released["USA"]["release_date"] == str(sme["release_date"]) == "2025-01-23"
    assert sme["status"] == "restated" and "MSS release of 2025-01-23" in sme["reason"]


def test_every_claim_is_in_its_sources_words_with_where_it_is_said(claims):
    note = {r["claim"] for r in rows(NOTE_CLAIMS)}
    for claim in claims.values():
        assert claim["source_passage"], claim["claim_id"]
        if claim["publisher"].startswith("Bank of Korea") and claim["claim_id"] != "exports_rise_with_investment":
            assert claim["claim"] in note, claim["claim_id"]  # the note's words as typed from its sources
        if claim["test"] != "statement":
            assert claim["test_reading"], claim["claim_id"]
    assert "fdi_risk" in claims["exports_rise_with_investment"]["source_passage"]  # a premise, said to be one


def test_surpluses_against_the_customs_months(claims):
    for year in (2022, 2023):
        balance = sum(
            monthly("US", "export_usd")[m] - monthly("US", "import_usd")[m]
            for m in monthly("US", "export_usd")
            if m.startswith(str(year))
        )
        claim = claims[f"surplus_usa_{year}"]
        assert claim["computed_value"] == pytest.approx(balance / 1e9, abs=1e-6)
        assert claim["status"] == value_status(balance / 1e9, claim["published_value"])
    china = sum(
        monthly("CN", "export_usd")[m] - monthly("CN", "import_usd")[m]
        for m in monthly("CN", "export_usd")
        if m.startswith("2023")
    )
    claim = claims["deficit_chn_2023"]
    assert claim["computed_value"] == pytest.approx(china / 1e9, abs=1e-6)
    assert claim["status"] == value_status(china / 1e9, claim["published_value"]) == "reproduced"


def value_status(computed: float, published: float, tolerance: float = 0.05) -> str:
    """A value claim's status by its rule, computed here: within the published rounding or not."""
    return "reproduced" if abs(computed - published) <= tolerance else "contradicted"


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
