"""Content identity: a feed file whose content is already loaded from another file is not loaded again.

Same bytes: found by SHA-256 when the ledger compares the files on disk (orchestration.ledger.detect_changes).
Same printed figures: a release file (rows that carry their own release date, spec.ROW_VINTAGE) whose every row
another loaded file already holds, the same figure of the same release, publisher and date, however its bytes
differ (a re-saved copy). Both are recorded in raw._duplicates and reported in one line naming both files; such a
file is loaded once the file that holds its content is gone. A release file that repeats only some figures of
another is loaded: staging counts each printed figure once (stg_kcs_monthly_partner_vintages).
"""

import duckdb
import pandas as pd

from orchestration.feeds.spec import ROW_VINTAGE, FeedSpec
from orchestration.raw_views import parsed_table


def line(file: str, holder: str, what: str = "the same bytes") -> str:
    """The report of one duplicate."""
    return f"{file}: {what} as {holder}, which is loaded: not loaded again"


def repeated_release(
    spec: FeedSpec, frame: pd.DataFrame, name: str, con: duckdb.DuckDBPyConnection, replaced: list[str]
) -> list[str]:
    """The loaded files (source_file names, not `name` nor those in `replaced`) that hold every row of the parsed
    release file `frame`; [] if it has a row none of them holds, or is no release file."""
    if ROW_VINTAGE not in frame:
        return []
    columns = [*spec.columns, "row_vintage", "source_row"]
    same = " AND ".join(f"n.{c} IS NOT DISTINCT FROM p.{c}" for c in spec.columns)
    con.register("f", frame)
    try:
        held, holders = con.execute(
            f"""WITH new AS (
                    SELECT * FROM (SELECT {spec.select}, TRY_CAST(f.{ROW_VINTAGE} AS DATE), f.source_row FROM f)
                    AS t({", ".join(columns)})),
                held AS (
                    SELECT n.source_row, p.source_file FROM new AS n JOIN {parsed_table(spec)} AS p
                    ON {same} AND (n.row_vintage IS NULL OR p.vintage = n.row_vintage)
                    WHERE p.source_file <> ? AND NOT list_contains(?::VARCHAR[], p.source_file))
                SELECT (SELECT count(*) FROM new) = count(DISTINCT source_row), list(DISTINCT source_file ORDER BY 1)
                FROM held""",
            [name, replaced],
        ).fetchone()
    finally:
        con.unregister("f")
    return holders if held and holders else []
