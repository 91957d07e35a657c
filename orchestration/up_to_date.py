"""Is serving.duckdb up to date with the feed files? Answered from the ledger alone, in a fraction of a second and
without starting Dagster or dbt: `refresh` asks before it starts a run, the landing sensor before it requests one.

Up to date means: every feed file on disk (samples and landing) is in the ledger with the same size, mtime and
declared vintage, no ledger file is gone from disk, nothing is pending for dbt, the dbt project is the one last
built, and that build is what serving.duckdb holds. Anything else, or anything that cannot be read, is a reason
to run the refresh, which then decides in detail (orchestration.ledger.build_plan).
"""

import duckdb

from orchestration import ledger
from orchestration.database import connect
from orchestration.dbt.fingerprint import manifest_fingerprint
from orchestration.feeds import FEEDS
from orchestration.files import feed_files
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
            return _why(con, paths) or _why_build(con, published_run(paths))
    except WriterBusy:
        return "a refresh is running"
    except duckdb.Error as exc:  # no warehouse, tables of another version
        return f"the ledger cannot be read ({str(exc).splitlines()[0]})"


def _why(con: duckdb.DuckDBPyConnection, paths: WarehousePaths) -> str | None:
    known = {
        (feed, path): (size, mtime_ns, vintage)
        for feed, path, size, mtime_ns, vintage in con.execute(
            f"SELECT feed, path, size, mtime_ns, vintage FROM {ledger.FILES}"
        ).fetchall()
    }
    on_disk = set()
    for feed in FEEDS:
        for path in feed_files(feed, paths):
            on_disk.add((feed, str(path)))
            previous, stat = known.get((feed, str(path))), path.stat()
            if previous is None:
                return f"new file {path}"
            if previous[:2] != (stat.st_size, stat.st_mtime_ns):
                return f"changed file {path}"
            if declared_vintage(feed, path, paths.sample) not in (None, previous[2]):
                return f"new declared vintage of {path}"
    if gone := sorted(path for feed, path in known if (feed, path) not in on_disk):
        return f"file removed: {gone[0]}"
    if con.execute(f"SELECT count(*) FROM {ledger.PENDING}").fetchone()[0]:
        return "changes are pending for dbt"
    return None


def _why_build(con: duckdb.DuckDBPyConnection, published: str | None) -> str | None:
    last = con.execute(f"SELECT manifest_sha256, run_id FROM {ledger.BUILDS} ORDER BY built_at DESC LIMIT 1").fetchone()
    if last is None:
        return "no dbt build yet"
    if last[0] != manifest_fingerprint(DBT_MANIFEST):
        return "the dbt project changed"
    if last[1] != published:
        return "the last build is not published"
    return None
