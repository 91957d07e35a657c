"""raw/published_figures: figures as publishers released them (trade by product, composition of exports,
direct investment, value-added estimates, exports of major items), each with its publisher, release and
citation. A feed of its own, never summed with customs data of another basis.

Format: the warehouse's documented form (formats/published_figures.py), converted from the hand-typed
files of data/published/report_context/ and data/published/releases_2025_2026/ by
scripts/convert_report_context.py.

Gates (orchestration/feeds/gates.py): no figure of a year after the file's vintage, no release date after it; a
figure in USD that a newer file states again for the same release differs by at most 5 % (world) or 25 %
(partners), or 1 mn USD. Published series are too irregular (spans, growth rates, shares) to judge new periods.
"""

from orchestration.feeds.formats import published_figures
from orchestration.feeds.spec import FeedSpec, Plausibility, SqlCheck

PUBLISHED_FIGURES = FeedSpec(
    name="published_figures",
    description="Published figures with publisher, release and citation (trade by product, export composition, "
    "direct investment, value added, export items)",
    columns={
        "dataset": "VARCHAR",
        "year": "VARCHAR",
        "period": "VARCHAR",
        "flow": "VARCHAR",
        "partner_code": "VARCHAR",
        "partner_kind": "VARCHAR",
        "subject": "VARCHAR",
        "breakdown": "VARCHAR",
        "metric": "VARCHAR",
        "value": "DOUBLE",
        "unit": "VARCHAR",
        "qualifier": "VARCHAR",
        "conflict": "BOOLEAN",
        "basis": "VARCHAR",
        "publisher": "VARCHAR",
        "release": "VARCHAR",
        "release_date": "DATE",
        "citation_url": "VARCHAR",
        "note": "VARCHAR",
    },
    select="""f.dataset, f.year, f.period, f.flow, f.partner_code, f.partner_kind, f.subject, f.breakdown, f.metric,
              f.value_number, nullif(f.unit, ''), f.qualifier, f.conflict_flag, f.basis, f.publisher, f.release,
              CAST(nullif(f.release_date, '') AS DATE), f.citation_url, f.note""",
    formats=published_figures.FORMATS,
    checks=(
        SqlCheck(
            "figures of one release agree (a contradiction is declared conflict = true on its rows)",
            """WITH disagreeing AS (
                 SELECT dataset, year, period, flow, partner_code, subject, breakdown, metric, unit, publisher, release
                 FROM {table} WHERE value IS NOT NULL
                 GROUP BY ALL HAVING count(DISTINCT value) > 1 AND NOT bool_and(conflict))
               SELECT t.source_file, t.source_row, t.dataset, t.year, t.subject, t.metric, t.value, t.release
               FROM {table} AS t JOIN disagreeing AS d
                 ON t.dataset = d.dataset AND t.year = d.year AND t.period = d.period AND t.flow = d.flow
                AND t.partner_code = d.partner_code AND t.subject = d.subject AND t.breakdown = d.breakdown
                AND t.metric = d.metric AND t.unit IS NOT DISTINCT FROM d.unit AND t.publisher = d.publisher
                AND t.release = d.release
               ORDER BY t.source_file, t.source_row""",
        ),
    ),
    period="make_date(TRY_CAST(left(year, 4) AS INTEGER), 1, 1)",  # a span (2012-2018): its first year
    release_date="release_date",
    plausibility=Plausibility(
        key=(
            *("dataset", "year", "period AS period_label", "flow", "partner_code", "subject", "breakdown"),
            *("metric", "publisher", "release"),
        ),
        value="any_value(value) FILTER (WHERE unit = 'USD' AND NOT coalesce(conflict, false))",
        floor=1e6,
        step_months=12,
        judge=None,
    ),
)
