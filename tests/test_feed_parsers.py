"""Parsers turn every accepted file form into the feed's normalized rows."""

from pathlib import Path

import pandas as pd
import pytest

from orchestration.feeds import FEEDS
from orchestration.feeds.readers import to_month
from orchestration.feeds.spec import FeedError
from orchestration.loading import parse_file
from tests.conftest import FIXTURES

SAMPLE = Path(__file__).parents[1] / "data" / "sample"


def test_period_strings_are_never_read_as_floats():
    periods = pd.Series(["2001.10", "2001.1", "2001. 01", "2001-10-01", "2024-13", "x"])
    assert to_month(periods).tolist() == ["2001-10", "2001-01", "2001-01", "2001-10", "2024-13", "x"]


def test_nationtrade_xml_drops_the_total_row_and_maps_iso2():
    fmt, rows = parse_file(FEEDS["kcs_monthly_partner"], FIXTURES / "nationtrade_2024_12.xml")
    assert fmt.name == "kcs_nationtrade"
    assert sorted(set(rows["partner_code"])) == ["CHN", "USA"]
    us_exports = rows[(rows.partner_code == "USA") & (rows.flow == "export")]
    assert us_exports["value_usd"].tolist() == [11893820362.0]
    assert us_exports["period"].tolist() == ["2024-12"]
    assert len(rows) == 4  # 2 partners x 2 flows, no 총계 row


def test_nationtrade_error_body_is_an_error():
    with pytest.raises(FeedError, match="resultCode 99"):
        parse_file(FEEDS["kcs_monthly_partner"], FIXTURES / "nationtrade_error_99.xml")


def test_top5_wide_file_ignores_model_covariates():
    fmt, rows = parse_file(FEEDS["kcs_monthly_partner"], SAMPLE / "kcs_monthly_partner" /
                           "kcs_top5_partners_monthly_2000_2021.csv")
    assert fmt.name == "kcs_top5_wide"
    assert set(rows["partner_code"]) == {"WLD", "CHN", "USA", "VNM", "HKG", "JPN"}
    assert len(rows) == 264 * 6
    jan = rows[(rows.period == "2000-01") & (rows.partner_code == "USA")]
    assert jan["value_usd"].tolist() == [2609787984.0]


def test_nine_markets_keep_groups_and_countries_apart():
    _, rows = parse_file(FEEDS["kcs_monthly_partner"], SAMPLE / "kcs_monthly_partner" /
                         "trade_region_2021_08_2024_12.csv")
    kinds = rows.groupby("partner_code")["partner_kind"].first().to_dict()
    assert kinds["ASEAN"] == "group" and kinds["USA"] == "country" and kinds["IND"] == "country"


def test_kosis_uses_kosis_values_not_imputed_ones():
    _, rows = parse_file(FEEDS["kosis_annual_partner"], SAMPLE / "kosis_annual_partner" /
                         "kosis_trade_by_partner_annual_1949_2023.csv")
    assert rows["year_number"].min() == 1965  # KOSIS starts in 1965; earlier rows are imputed (CoW)
    world_2023 = rows[(rows.partner_code == "WLD") & (rows.year == "2023") & (rows.flow == "export")]
    assert world_2023["value_usd"].tolist() == [632225824000.0]


def test_oecd_tec_scales_by_unit_mult_and_keeps_korean_exports_only():
    fmt, rows = parse_file(FEEDS["firm_size_exports"], FIXTURES / "oecd_tec_kor_2021.csv")
    assert fmt.name == "oecd_tec_sdmx"
    assert len(rows) == 6  # the import row and the Japanese row are dropped
    sme_world = rows[(rows.firm_size == "sme") & (rows.destination_code == "WLD") & (rows.measure == "exports_usd")]
    assert sme_world["value_number"].tolist() == [112e9]
    assert rows[rows.measure == "exporters"]["value_number"].tolist() == [92000.0]
