"""raw/kcs_monthly_partner: every accepted file form parses to the feed's normalized rows."""

import pandas as pd
import pytest

from orchestration.feeds import FEEDS
from orchestration.feeds.readers import to_month
from orchestration.feeds.spec import FeedError
from orchestration.loading import parse_file
from tests.helpers import FIXTURES, SAMPLE


def test_period_strings_are_never_read_as_floats():
    periods = pd.Series(["2001.10", "2001.1", "2001. 01", "2001-10-01", "2024-13", "x"])
    assert to_month(periods).tolist() == ["2001-10", "2001-01", "2001-01", "2001-10", "2024-13", "x"]


def test_nationtrade_xml_drops_the_total_row_and_maps_iso2():
    fmt, rows = parse_file(FEEDS["kcs_monthly_partner"], FIXTURES / "kcs" / "nationtrade_2024_12.xml")
    assert fmt.name == "kcs_nationtrade"
    assert sorted(set(rows["partner_code"])) == ["CHN", "USA"]
    us_exports = rows[(rows.partner_code == "USA") & (rows.flow == "export")]
    assert us_exports["value_usd"].tolist() == [11893820362.0]
    assert us_exports["period"].tolist() == ["2024-12"]
    assert len(rows) == 4  # 2 partners x 2 flows, no 총계 row


def test_nationtrade_error_body_is_an_error():
    with pytest.raises(FeedError, match="resultCode 99"):
        parse_file(FEEDS["kcs_monthly_partner"], FIXTURES / "kcs" / "nationtrade_error_99.xml")


def test_top5_wide_file_ignores_model_covariates():
    fmt, rows = parse_file(
        FEEDS["kcs_monthly_partner"], SAMPLE / "kcs_monthly_partner" / "kcs_top5_partners_monthly_2000_2021.csv"
    )
    assert fmt.name == "kcs_top5_wide"
    assert set(rows["partner_code"]) == {"WLD", "CHN", "USA", "VNM", "HKG", "JPN"}
    assert len(rows) == 264 * 6
    jan = rows[(rows.period == "2000-01") & (rows.partner_code == "USA")]
    assert jan["value_usd"].tolist() == [2609787984.0]


def test_nine_markets_keep_groups_and_countries_apart():
    _, rows = parse_file(
        FEEDS["kcs_monthly_partner"], SAMPLE / "kcs_monthly_partner" / "trade_region_2021_08_2026_07.csv"
    )
    kinds = rows.groupby("partner_code")["partner_kind"].first().to_dict()
    assert kinds["ASEAN"] == "group" and kinds["USA"] == "country" and kinds["IND"] == "country"


def test_every_country_file_maps_iso2_and_leaves_out_kcs_codes_that_are_no_country():
    path = SAMPLE / "kcs_monthly_partner" / "country_trade_2025_01_2026_07.csv"
    fmt, rows = parse_file(FEEDS["kcs_monthly_partner"], path)
    assert fmt.name == "kcs_countries"
    assert rows["partner_kind"].eq("country").all() and set(rows.flow) == {"export", "import"}
    assert not {"ZZ", "RK", "Z1", "AN"} & set(rows.partner_code)  # unspecified, overseas Koreans, IMF, Antilles
    us = rows[(rows.partner_code == "USA") & (rows.period == "2026-02")].set_index("flow")
    assert (
        us.loc["export", "value_usd"] == 12_704_284_715
        and us.loc["export", "source_row"] == us.loc["import", "source_row"]
    )
    left_out = pd.read_csv(path, dtype=str)["국가코드"].isin(["ZZ", "RK", "Z1", "AN"]).sum()
    assert len(rows) == 2 * (4475 - left_out)


def test_a_country_file_with_an_unknown_code_is_rejected_at_loader_level(tmp_path):
    from orchestration.validation.gx_suites import validate_file

    path = tmp_path / "countries.csv"
    header = "국가코드,국가,기준월,수출건수,수출액_USD,수입건수,수입액_USD,무역수지_USD\n"
    path.write_text(header + "US,미국,2026-08-01,1,100,1,50,50\nQQ,없는나라,2026-08-01,1,5,1,5,0\n", encoding="utf-8")
    _, rows = parse_file(FEEDS["kcs_monthly_partner"], path)
    _, failures = validate_file("kcs_monthly_partner", rows, "countries.csv")
    [failure] = failures
    assert failure.rule == "partner code is known (ISO-3 country, partner group or WLD)" and failure.rows == [3]
