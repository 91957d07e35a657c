"""The vintage of a feed file: the date its figures were published, so that revisions add vintages.

In order of precedence:
1. a `__vintage-YYYY-MM-DD` token in the file name (e.g. `kcs_2024_03__vintage-2024-04-01.csv`);
2. for shipped samples, `vintages.csv` in the sample directory (feed, file, vintage, basis);
3. otherwise the day the warehouse first saw the file's exact bytes (kept in the ledger's
   `raw._file_registry`, so a rerun gives the same vintage).
"""

import csv
import re
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path

import duckdb

from orchestration import ledger
from orchestration.feeds.spec import FeedError

TOKEN = re.compile(r"__vintage-(\d{4}-\d{2}-\d{2})")


@cache
def _manifest(sample_dir: Path) -> dict[tuple[str, str], date]:
    path = sample_dir / "vintages.csv"
    if not path.exists():
        return {}
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    declared = {}
    for line, r in enumerate(rows, start=2):
        try:
            declared[(r["feed"], r["file"])] = date.fromisoformat(r["vintage"])
        except (KeyError, TypeError, ValueError):
            raise FeedError(str(path), "a vintages.csv row is feed,file,YYYY-MM-DD,basis", str(r), [line]) from None
    return declared


def declared_vintage(feed: str, path: Path, sample_dir: Path) -> date | None:
    """The vintage the file name or the sample manifest declares (1. and 2. above), else None."""
    if match := TOKEN.search(path.name):
        return date.fromisoformat(match.group(1))
    if path.parent.parent.resolve() == sample_dir.resolve():
        return _manifest(sample_dir).get((feed, path.name))
    return None


def file_vintage(feed: str, path: Path, sha256: str, sample_dir: Path, con: duckdb.DuckDBPyConnection) -> date:
    """The vintage of one feed file (see module docstring)."""
    return declared_vintage(feed, path, sample_dir) or ledger.first_seen(con, sha256, datetime.now(UTC).date())
