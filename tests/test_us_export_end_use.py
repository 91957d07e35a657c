"""The consumer-goods claim: published processing-stage shares next to the warehouse's computed end-use
shares of exports to the US, never blended."""

import csv
from collections import defaultdict
from pathlib import Path

import pytest
import yaml

SAMPLE = Path(__file__).parents[1] / "data" / "sample"
COMPOSITION = SAMPLE / "published_figures" / "export_composition.csv"
HS2 = SAMPLE / "kcs_product_partner" / "kcs_hs2_by_country_2024_jan_jun.csv"
DBT_PROJECT = Path(__file__).parents[1] / "dbt_project" / "dbt_project.yml"


def rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def test_published_2021_q1_shares_with_their_citation(serving):
    published = {
        r["subject"]: (float(r["value"]) / 100, r["citation_url"], r["publisher"])
        for r in rows(COMPOSITION)
        if r["breakdown"] == "end_use" and r["year"] == "2021" and r["period"] == "Q1"
    }
    query = """SELECT end_use_as_published, share, citation_url, publisher FROM marts.us_export_end_use
        WHERE basis = 'published' AND year_label = '2021' AND period = 'Q1'"""
    served = {r[0]: r[1:] for r in serving.execute(query).fetchall()}
    assert served == {k: (pytest.approx(s), c, p) for k, (s, c, p) in published.items()}
    assert {k: round(v[0] * 100, 1) for k, v in served.items()} == {
        "intermediate_goods": 51.2,
        "consumer_goods": 27.5,
        "capital_goods": 21.1,
    }


def test_bok_statement_is_a_published_row_with_what_would_settle_it(serving):
    share, qualifier, settled_by, release_date = serving.execute("""SELECT share, qualifier, settled_by,
        release_date FROM marts.us_export_end_use WHERE basis = 'published' AND year_label = '2020-2023'""").fetchone()
    assert (share, qualifier, str(release_date)) == (pytest.approx(0.30), "approx (~30%, 'consistently')", "2024-04-18")
    assert settled_by is not None


def min_classified_share() -> float:
    """dbt var end_use_min_classified_share (dbt_project.yml)."""
    return float(yaml.safe_load(DBT_PROJECT.read_text(encoding="utf-8"))["vars"]["end_use_min_classified_share"])


def test_computed_rows_are_product_composition_for_the_us(serving):
    composition = {
        r[0]: r[1:]
        for r in serving.execute("""SELECT product_group, share_of_partner_exports, exports_usd, partner_exports_usd,
            coverage, detail_level FROM marts.product_composition
            WHERE partner_code = 'USA' AND product_group_kind = 'bec_end_use'""").fetchall()
    }
    computed = {
        r[0]: r[1:]
        for r in serving.execute("""SELECT end_use, share, exports_usd, partner_exports_usd, coverage, detail_level
            FROM marts.us_export_end_use WHERE basis = 'computed'""").fetchall()
    }
    assert computed.keys() == composition.keys()
    assert {k: v[1:] for k, v in computed.items()} == {k: v[1:] for k, v in composition.items()}
    # the shares: mixed and unclassified as composed (they are the coverage), a class's only above the threshold
    assert min_classified_share() == 0.9
    classified = 1 - sum(composition[k][0] for k in ("mixed", "unclassified") if k in composition)
    assert classified < min_classified_share()
    assert {k: v[0] for k, v in computed.items()} == {
        k: (v[0] if k in ("mixed", "unclassified") else None) for k, v in composition.items()
    }
    # the denominator: all exports to the US in January–June 2024, summed from the chapter file (thousand USD)
    us_total = sum(float(r["수출 금액"]) * 1000 for r in rows(HS2) if r["국가"] == "미국")
    assert [v[2] for v in computed.values()] == [pytest.approx(us_total, abs=1)] * len(computed)
    periods = set(
        serving.execute("SELECT year_label, period FROM marts.us_export_end_use WHERE basis = 'computed'").fetchall()
    )
    assert periods == {("2024", "H1")}
    consumption, with_cars, mixed = (
        composition[k][0] for k in ("consumption", "consumption_incl_passenger_cars", "mixed")
    )
    assert round(consumption * 100, 1) == round(with_cars * 100, 1) == 0.5  # cars are in chapter 87, mixed
    assert round((1 - mixed) * 100, 1) == 5.5  # the coverage product_composition reports
    assert "5.5 %" in computed["consumption"][3]


def test_end_use_shares_below_the_coverage_threshold_are_null_with_the_coverage_shown(serving):
    """A class's share of 0.5 % computed from the 5.5 % of exports that could be classified is no estimate of the
    class (beside the published 30 %): NULL, with the classified share in the row and said in its note."""
    threshold = min_classified_share()
    chapters = [r for r in rows(HS2) if r["국가"] == "미국"]
    rows_served = serving.execute("""SELECT period, end_use, share, exports_usd, classified_share, note
        FROM marts.us_export_end_use WHERE basis = 'computed'""").fetchall()
    assert rows_served
    for period, end_use, share, exports_usd, classified, note in rows_served:
        assert period == "H1" and classified == pytest.approx(0.0551, abs=5e-5)  # the chapter file's coverage
        if end_use in ("mixed", "unclassified"):
            assert share is not None and note is None
        elif classified < threshold:
            assert share is None and exports_usd is not None, end_use
            assert note == (
                f"share not shown: {round(100 * classified, 1)} % of the exports classified to a single end use, "
                f"below the {round(100 * threshold, 1)} % threshold (var end_use_min_classified_share)"
            )
        else:
            assert share == pytest.approx(exports_usd / sum(float(r["수출 금액"]) * 1000 for r in chapters))


def test_published_and_computed_are_never_in_one_sum(serving):
    by_period = defaultdict(set)
    totals = defaultdict(float)
    for basis, year, period, publisher, end_use, share in serving.execute(
        "SELECT basis, year_label, period, publisher, end_use, coalesce(share, 0) FROM marts.us_export_end_use"
    ).fetchall():
        by_period[(year, period)].add(basis)
        if end_use != "consumption_incl_passenger_cars":
            totals[(basis, year, period, publisher)] += share
    assert all(len(bases) == 1 for bases in by_period.values())
    assert all(total <= 1.0005 for total in totals.values())
    # the computed rows carry no publisher release, the published rows no customs values
    mixed_rows = serving.execute("""SELECT count(*) FROM marts.us_export_end_use
        WHERE (basis = 'computed' AND (release IS NOT NULL OR citation_url IS NOT NULL))
           OR (basis = 'published' AND (exports_usd IS NOT NULL OR coverage IS NOT NULL))""").fetchone()[0]
    assert mixed_rows == 0
