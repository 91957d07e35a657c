"""The vintage of a feed file: the date its figures were published, so that revisions add vintages.

In order of precedence:
1. a `__vintage-YYYY-MM-DD` token in the file name (e.g. `kcs_2024_03__vintage-2024-04-01.csv`);
2. for shipped samples, `vintages.csv` in the sample directory (feed, file, vintage, basis);
3. otherwise the day the warehouse first saw the file's exact bytes (orchestration.clock) (kept in the ledger's
   `raw._file_registry`, so a rerun gives the same vintage).

A file may be declared a benchmark revision (a statistical office's rebasing or reclassification, which moves
values by more than the revision tolerance, orchestration/feeds/gates.py): a `__benchmark` token in its name
(`kcs_2024__vintage-2026-11-01__benchmark.csv`) or, for shipped samples, `benchmark` in the `revision` column of
`vintages.csv`. Its revisions are accepted whatever their size, and the refresh reports them.
"""

import csv
import re
from datetime import date
from functools import cache
from pathlib import Path

import duckdb

from orchestration import clock, ledger
from orchestration.feeds.spec import FeedError

TOKEN = re.compile(r"__vintage-(\d{4}-\d{2}-\d{2})")
BENCHMARK_TOKEN = re.compile(r"__benchmark(?=[._]|$)")
BENCHMARK = "benchmark"  # the value of vintages.csv's optional `revision` column that declares one


@cache
def _manifest(sample_dir: Path) -> dict[tuple[str, str], tuple[date, bool]]:
    """(feed, file) -> (vintage, declared a benchmark revision)."""
    path = sample_dir / "vintages.csv"
    if not path.exists():
        return {}
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    declared = {}
    for line, r in enumerate(rows, start=2):
        try:
            revision = (r.get("revision") or "").strip()
            if revision not in ("", BENCHMARK):
                raise ValueError(revision)
            declared[(r["feed"], r["file"])] = (date.fromisoformat(r["vintage"]), revision == BENCHMARK)
        except (KeyError, TypeError, ValueError):
            raise FeedError(
                str(path), "a vintages.csv row is feed,file,YYYY-MM-DD,basis[,benchmark]", str(r), [line]
            ) from None
    return declared


def _sample_entry(feed: str, path: Path, sample_dir: Path) -> tuple[date, bool] | None:
    if path.parent.parent.resolve() == sample_dir.resolve():
        return _manifest(sample_dir).get((feed, path.name))
    return None


def declared_vintage(feed: str, path: Path, sample_dir: Path) -> date | None:
    """The vintage the file name or the sample manifest declares (1. and 2. above), else None."""
    if match := TOKEN.search(path.name):
        return date.fromisoformat(match.group(1))
    entry = _sample_entry(feed, path, sample_dir)
    return entry[0] if entry else None


def is_benchmark(feed: str, path: Path, sample_dir: Path) -> bool:
    """Whether the file is declared a benchmark revision (its name, or vintages.csv for a shipped sample)."""
    if BENCHMARK_TOKEN.search(path.name):
        return True
    entry = _sample_entry(feed, path, sample_dir)
    return bool(entry and entry[1])


def file_vintage(feed: str, path: Path, sha256: str, sample_dir: Path, con: duckdb.DuckDBPyConnection) -> date:
    """The vintage of one feed file (see module docstring)."""
    return declared_vintage(feed, path, sample_dir) or ledger.first_seen(con, sha256, clock.today())
