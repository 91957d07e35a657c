"""raw/firm_size_exports: OECD TEC SDMX-CSV parses to Korea's exports by firm size."""

from orchestration.feeds import FEEDS
from orchestration.loading import parse_file
from tests.helpers import FIXTURES


def test_oecd_tec_scales_by_unit_mult_and_keeps_korean_exports_only():
    fmt, rows = parse_file(FEEDS["firm_size_exports"], FIXTURES / "oecd" / "oecd_tec_kor_2021.csv")
    assert fmt.name == "oecd_tec_sdmx"
    assert len(rows) == 6  # the import row and the Japanese row are dropped
    sme_world = rows[(rows.firm_size == "sme") & (rows.destination_code == "WLD") & (rows.measure == "exports_usd")]
    assert sme_world["value_number"].tolist() == [112e9]
    assert rows[rows.measure == "exporters"]["value_number"].tolist() == [92000.0]
