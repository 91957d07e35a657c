"""The rows the charts and the report page show, read from serving.duckdb (a read-only connection).

Every query raises MissingData, naming the mart and the filter, when its rows are not there; nothing here
writes anything.
"""

import duckdb
import pandas as pd

from orchestration.feeds.reference import korean_names

SOURCE = "Source: Korea Customs Service via the Korea export-structure warehouse, customs basis"


class MissingData(LookupError):
    """The rows a chart or the page needs are not in the serving file."""


def frame(con: duckdb.DuckDBPyConnection, mart: str, what: str, sql: str, params=None) -> pd.DataFrame:
    """Rows of `sql` (which reads marts.`mart`); MissingData if the mart is absent or the rows are."""
    try:
        rows = con.execute(sql, params or []).df()
    except duckdb.CatalogException as exc:
        raise MissingData(f"marts.{mart} is not in the serving file ({exc})") from exc
    if rows.empty:
        raise MissingData(f"marts.{mart} has no rows for {what}")
    return rows


def partner_label(code: str) -> str:
    """'미국 US', '중국 China', …; the code itself where the seeds have no name."""
    ko, en = korean_names().get(code, ("", code))
    return en if ko == en else f"{ko} {en}".strip()


def us_china_shares(con, since: str = "2000-01-01") -> pd.DataFrame:
    """Monthly, quarterly and annual shares of the US and China in Korea's exports since `since`."""
    return frame(
        con,
        "destination_share",
        f"US and China shares since {since}",
        """SELECT frequency, period_start, partner_code, share, exports_usd, source FROM marts.destination_share
        WHERE partner_code IN ('USA', 'CHN') AND share IS NOT NULL AND period_start >= ?::DATE
        ORDER BY frequency, partner_code, period_start""",
        [since],
    )


def us_china_crossovers(con, status: str = "current") -> pd.DataFrame:
    """Every period in which the US overtook China or China the US (may be empty): on the figures in use
    (`current`), or only in first-release figures (`removed by a later vintage`, with its release note)."""
    try:
        return con.execute(
            """SELECT frequency, period_start, leader_code, trailer_code, margin_usd, previous_lead_start,
                   periods_since, fragile, revision_noise_usd, depends_on_derived, status, release_note
            FROM marts.destination_crossovers
            WHERE leader_code IN ('USA', 'CHN') AND trailer_code IN ('USA', 'CHN') AND status = ?
            ORDER BY frequency, period_start""",
            [status],
        ).df()
    except duckdb.CatalogException as exc:
        raise MissingData(f"marts.destination_crossovers is not in the serving file ({exc})") from exc


# why a crossover is fragile, in the order of destination_crossovers' rule (marts/destination_crossovers.sql)
DERIVED = "rests on a derived value"  # value_basis 'derived from growth' or 'derived from a cumulative'
FIRST_RELEASE_ONLY = "only in a first release"
WITHIN_NOISE = "margin within revision noise"
WITHIN_ROUNDING = "margin within the rounding of the printed figures"


def fragility_causes(row) -> list[str]:
    """What makes a crossover of marts.destination_crossovers fragile, each cause that applies: a derived value (from
    a growth rate or a cumulative, in the period or the one before: `depends_on_derived`), a crossover a later
    vintage removed (`status`), a margin within `revision_noise_usd`. Empty for a crossover that is not fragile."""
    causes = []
    if pd.notna(row.depends_on_derived) and row.depends_on_derived:
        causes.append(DERIVED)
    if row.status != "current":
        causes.append(FIRST_RELEASE_ONLY)
    if pd.notna(row.revision_noise_usd) and row.margin_usd <= row.revision_noise_usd:
        causes.append(WITHIN_NOISE)
    if row.fragile and not causes:  # a rule the mart added since: say it is fragile, not why
        causes.append("fragile")
    return causes


def lead_fragility_causes(row) -> list[str]:
    """What makes a month of marts.us_china_lead fragile, each cause that applies (the mart's rule): a derived value
    on either side (`us_value_basis`/`china_value_basis` other than `published`), a margin within
    `revision_noise_usd`; a fragile month with neither has its margin within the rounding of the two printed figures
    (the rule's third cause, whose rounding the mart does not publish). Empty for a month that is not fragile."""
    if not row.fragile:
        return []
    causes = []
    if any(pd.notna(basis) and basis != "published" for basis in (row.us_value_basis, row.china_value_basis)):
        causes.append(DERIVED)
    if pd.notna(row.revision_noise_usd) and row.margin_usd <= row.revision_noise_usd:
        causes.append(WITHIN_NOISE)
    return causes or [WITHIN_ROUNDING]


def us_china_lead(con, since: str = "2023-01-01") -> pd.DataFrame:
    """Who led each month since `since`: US minus China exports, the basis of each side, fragile, missing."""
    return frame(
        con,
        "us_china_lead",
        f"months since {since}",
        """SELECT period_start, leader_code, us_exports_usd, china_exports_usd, us_release_type, china_release_type,
                  us_value_basis, china_value_basis, us_vintage, margin_usd, revision_noise_usd, fragile, missing,
                  first_release_leader_code,
                  us_first_release_usd, china_first_release_usd, first_release_known, release_note
        FROM marts.us_china_lead WHERE period_start >= ?::DATE ORDER BY period_start""",
        [since],
    )


def growth_contributions(con, months: int = 19) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(the latest year to date, else year, by partner; the last `months` months by partner) of
    marts.export_growth_contributions, rows where the partners are known (no partner missing)."""
    latest = frame(
        con,
        "export_growth_contributions",
        "the latest year to date or year",
        """WITH latest AS (
            SELECT frequency, period_start FROM marts.export_growth_contributions
            WHERE frequency IN ('ytd', 'year') AND role = 'partner'
            ORDER BY period_start DESC, frequency = 'ytd' DESC LIMIT 1)
        SELECT * FROM marts.export_growth_contributions JOIN latest USING (frequency, period_start)
        ORDER BY contribution DESC""",
    )
    monthly = frame(
        con,
        "export_growth_contributions",
        f"the last {months} months with every partner",
        """WITH complete AS (
            SELECT period_start FROM marts.export_growth_contributions
            WHERE frequency = 'month' AND role = 'rest of world' AND partners_missing IS NULL
            ORDER BY period_start DESC LIMIT ?)
        SELECT * FROM marts.export_growth_contributions JOIN complete USING (period_start)
        WHERE frequency = 'month' ORDER BY period_start""",
        [months],
    )
    return latest, monthly


def us_balance(con, since: int = 1990) -> pd.DataFrame:
    """Annual exports, imports and balance with the US and its watch flag since `since`."""
    return frame(
        con,
        "trade_balance",
        f"the US by year since {since}",
        """SELECT year(period_start) AS year, exports_usd, imports_usd, balance_usd, watch_flag,
                  watch_threshold_usd, source
        FROM marts.trade_balance
        WHERE partner_code = 'USA' AND frequency = 'year' AND year(period_start) >= ? ORDER BY year""",
        [since],
    )


def sme_destinations(con, years: int = 2) -> pd.DataFrame:
    """SME exports by destination (MSS) in the latest `years` years with destinations, plus the world row."""
    return frame(
        con,
        "sme_participation",
        "SMEs by destination, source MSS",
        """WITH latest AS (
            SELECT DISTINCT year FROM marts.sme_participation
            WHERE source = 'MSS' AND firm_size = 'sme' AND destination_code <> 'WLD' AND exports_usd IS NOT NULL
            ORDER BY year DESC LIMIT ?)
        SELECT year, destination_code, exports_usd, share_of_firm_size, share_of_destination, release_date
        FROM marts.sme_participation JOIN latest USING (year)
        WHERE source = 'MSS' AND firm_size = 'sme' AND exports_usd IS NOT NULL ORDER BY year, exports_usd""",
        [years],
    )


def us_sections(con) -> pd.DataFrame:
    """Exports to the US by HS section in the latest period that has sections (the longest such period)."""
    return frame(
        con,
        "product_composition",
        "the US by HS section",
        """WITH sections AS (
            SELECT * FROM marts.product_composition WHERE partner_code = 'USA' AND product_group_kind = 'hs_section'),
        latest AS (
            SELECT period_start, frequency FROM sections
            ORDER BY period_start DESC, list_position(['year', 'half', 'quarter', 'month'], frequency) LIMIT 1)
        SELECT frequency, period_start, product_group, exports_usd, share_of_partner_exports,
               partner_exports_usd, partner_exports_basis, source
        FROM sections JOIN latest USING (period_start, frequency) ORDER BY exports_usd""",
    )


def us_products_by_year(con) -> pd.DataFrame:
    """Exports to the US by product (HS 4-digit or finer) and year, with their share."""
    return frame(
        con,
        "product_composition",
        "the US by product and year",
        """SELECT year(period_start) AS year, product_group, exports_usd, share_of_partner_exports
        FROM marts.product_composition
        WHERE partner_code = 'USA' AND product_group_kind = 'product' AND frequency = 'year'
        ORDER BY product_group, year""",
    )


def hs8542_against_ministry(con) -> tuple[int, float, float] | None:
    """(year, HS 8542 exports to the world, the ministry's MTI semiconductors to the world) in the latest year both
    are known (marts.product_composition, marts.published_export_items); None if none is."""
    try:
        return con.execute("""
            SELECT year(p.period_start), p.exports_usd, i.value
            FROM marts.product_composition AS p
            JOIN marts.published_export_items AS i ON i.year = year(p.period_start)
            WHERE p.partner_code = 'WLD' AND p.frequency = 'year' AND p.product_group = 'semiconductors (HS 8542)'
              AND i.item = 'semiconductors' AND i.classification = 'MTI' AND i.partner_code = 'WLD'
              AND i.frequency = 'year' AND i.metric = 'value' AND i.value IS NOT NULL
            ORDER BY 1 DESC, i.release_date DESC LIMIT 1""").fetchone()
    except duckdb.CatalogException:
        return None


def offset_scenarios(con) -> pd.DataFrame:
    """Extra imports from the US needed to reach the watch threshold, next to energy and agri-food imports."""
    return frame(
        con,
        "surplus_offset_scenarios",
        "the US, target 'watch threshold', with energy or agri-food imports known",
        """SELECT year, frequency, balance_usd, target_balance_usd, extra_imports_needed_usd,
                  energy_imports_usd, energy_imports_basis, agri_food_imports_usd, agri_food_imports_basis,
                  extra_over_energy_imports
        FROM marts.surplus_offset_scenarios
        WHERE partner_code = 'USA' AND target = 'watch threshold'
          AND coalesce(energy_imports_usd, agri_food_imports_usd) IS NOT NULL
        ORDER BY frequency = 'half', year""",
    )


def offset_skipped_years(con) -> list[int]:
    """The years the surplus-offset chart leaves out: years of marts.surplus_offset_scenarios (the US, target 'watch
    threshold') from the first one it shows to the latest, in which neither energy nor agri-food imports from the US
    are known (NULL: no published figure and no customs product data, never estimated)."""
    return [
        year
        for (year,) in con.execute("""
            WITH years AS (
                SELECT year, coalesce(energy_imports_usd, agri_food_imports_usd) IS NOT NULL AS shown
                FROM marts.surplus_offset_scenarios
                WHERE partner_code = 'USA' AND target = 'watch threshold' AND frequency = 'year')
            SELECT year FROM years
            WHERE NOT shown AND year > (SELECT min(year) FROM years WHERE shown) ORDER BY year""").fetchall()
    ]


def gross_proxy(con) -> pd.DataFrame:
    """This warehouse's gross proxy of exports reaching US demand through a transit country (China), by year, with
    its method and qualifier (an upper bound)."""
    return frame(
        con,
        "value_added_exports",
        "the computed gross proxy",
        """SELECT year, channel, value, method, qualifier, korea_exports_to_transit_usd, us_share_of_transit_exports
        FROM marts.value_added_exports WHERE institute = 'computed (this warehouse)' AND value IS NOT NULL
        ORDER BY channel, year""",
    )


# the statuses of marts.report_claims, from the claims the data support to those no figure can check
STATUSES = ("reproduced", "held at release, revised since", "contradicted", "restated", "not computable")


def claims(con) -> pd.DataFrame:
    """Every claim of the note with where it is said, how it is tested and its status, in the order of STATUSES."""
    order = " ".join(f"WHEN '{status}' THEN {n}" for n, status in enumerate(STATUSES))
    return frame(
        con,
        "report_claims",
        "the note's claims",
        f"""SELECT claim_id, claim, source_passage, test_reading, period, test, published_value, unit, computed_value,
            computed_at_release, status, reason
        FROM marts.report_claims
        ORDER BY CASE status {order} ELSE {len(STATUSES)} END, claim_id""",
    )


def publication(con) -> tuple[str, object]:
    """(publication_id, published_at UTC) of the serving file."""
    return tuple(frame(con, "_publication", "the publication", "SELECT * FROM marts._publication").iloc[0][:2])
