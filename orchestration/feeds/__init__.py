"""Raw feeds: one module per feed holding its `FeedSpec`; parsers live in `formats/`, one module per source.

Adding or changing a feed: see docs/feeds.md, "Adding or changing a feed".
"""

from orchestration.feeds.firm_size_exports import FIRM_SIZE_EXPORTS
from orchestration.feeds.kcs_monthly_partner import KCS_MONTHLY_PARTNER
from orchestration.feeds.kcs_product_partner import KCS_PRODUCT_PARTNER
from orchestration.feeds.kosis_annual_partner import KOSIS_ANNUAL_PARTNER
from orchestration.feeds.partner_reported_trade import PARTNER_REPORTED_TRADE
from orchestration.feeds.published_figures import PUBLISHED_FIGURES

FEEDS = {
    spec.name: spec
    for spec in (
        KCS_MONTHLY_PARTNER,
        KOSIS_ANNUAL_PARTNER,
        FIRM_SIZE_EXPORTS,
        KCS_PRODUCT_PARTNER,
        PARTNER_REPORTED_TRADE,
        PUBLISHED_FIGURES,
    )
}
