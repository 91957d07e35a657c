"""Is serving.duckdb up to date with the feed files? Answered from the ledger alone, in a fraction of a second and
without starting Dagster or dbt: `refresh` asks before it starts a run, the landing sensor before it requests one.

Up to date means: every feed file on disk (samples and landing) is in the ledger with the same size, mtime and
declared vintage and was parsed by the feed's current parsing code (orchestration.raw_views.parser_digest), no
ledger file is gone from disk, nothing is pending for dbt, the dbt project is the one last built, and that build
is what serving.duckdb holds. Anything else, or anything that cannot be read, is a reason
to run the refresh, which then decides in detail (orchestration.ledger.build_plan).
"""

import duckdb

from orchestration import ledger
from orchestration.database import connect
from orchestration.dbt.fingerprint import manifest_fingerprint
from orchestration.feeds import FEEDS
from orchestration.files import feed_files
from orchestration.raw_views import parsed_table, parser_digest, table_comment
from orchestration.serving import published_run
from orchestration.settings import DBT_MANIFEST, WarehousePaths
from orchestration.vintages import declared_vintage
from orchestration.writer_lock import WriterBusy, writer_lock


def why_refresh(paths: WarehousePaths) -> str | None:
    """Why a refresh has work to do (one line), or None if it has none (see module docstring)."""
    if not paths.serving_db.exists():
        return "nothing published yet"
    if not DBT_MANIFEST.exists():
        return "the dbt project is not parsed yet"
    try:  # under the writer lock: a run starting meanwhile must not find the file held by this reader
        with writer_lock(paths), connect(paths.warehouse_db, read_only=True) as con:
            plan = ledger.build_plan(con, manifest_fingerprint(DBT_MANIFEST), published_run(paths))
            return _why_files(con, paths) or ("; ".join(plan.reasons) if plan.needed else None)
    except WriterBusy:
        return "a refresh is running"
    except duckdb.Error as exc:  # no warehouse, tables of another version
        return f"the ledger cannot be read ({str(exc).splitlines()[0]})"


def _why_files(con: duckdb.DuckDBPyConnection, paths: WarehousePaths) -> str | None:
    """The first feed file that is new, changed, newly dated or gone since the ledger recorded it (a file recorded as
    the duplicate of a file still loaded is not new)."""
    for feed, spec in FEEDS.items():
        known, duplicates = ledger.known_files(con, feed), ledger.known_duplicates(con, feed)
        if known and table_comment(con, parsed_table(spec)) != parser_digest(spec):
            return f"the parsing code of {feed} changed: its files are read again"
        for path in feed_files(feed, paths):
            row, stat = known.pop(str(path), None), path.stat()
            duplicate = duplicates.get(str(path))
            if row is None and duplicate and (duplicate.size, duplicate.mtime_ns) == (stat.st_size, stat.st_mtime_ns):
                continue  # its holder is checked as a file of its own
            if row is None:
                return f"new file {path}"
            if (row.size, row.mtime_ns) != (stat.st_size, stat.st_mtime_ns):
                return f"changed file {path}"
            if declared_vintage(feed, path, paths.sample) not in (None, row.vintage):
                return f"new declared vintage of {path}"
        if known:
            return f"file removed: {min(known)}"
    return None
