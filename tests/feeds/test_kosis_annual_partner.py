"""raw/kosis_annual_partner: the KOSIS file parses to KOSIS values only."""

from orchestration.feeds import FEEDS
from orchestration.loading import parse_file
from tests.helpers import SAMPLE


def test_kosis_uses_kosis_values_not_imputed_ones():
    _, rows = parse_file(
        FEEDS["kosis_annual_partner"], SAMPLE / "kosis_annual_partner" / "kosis_trade_by_partner_annual_1949_2023.csv"
    )
    assert rows["year_number"].min() == 1965  # KOSIS starts in 1965; earlier rows are imputed (CoW)
    world_2023 = rows[(rows.partner_code == "WLD") & (rows.year == "2023") & (rows.flow == "export")]
    assert world_2023["value_usd"].tolist() == [632225824000.0]
