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
        FEEDS["kcs_monthly_partner"], SAMPLE / "kcs_monthly_partner" / "trade_region_2021_08_2024_12.csv"
    )
    kinds = rows.groupby("partner_code")["partner_kind"].first().to_dict()
    assert kinds["ASEAN"] == "group" and kinds["USA"] == "country" and kinds["IND"] == "country"
