"""Refreshes under real use (issue 4): BI readers in other processes during back-to-back refreshes,
SIGKILLs at random points, and reruns. A small run of tests/stress/refresh_under_load.py."""

import stat

import duckdb
import pytest

from tests.stress.refresh_under_load import publication, run


def test_readers_kills_and_reruns(published, tmp_path):
    """From a copy of the published warehouse, under two readers: one refresh (a month added), one killed
    refresh (the month taken away again), the next refresh recovers, and its inputs, the first again, give the
    first marts. The full run is `make stress`."""
    report = run(tmp_path / "warehouse", 1, 2, kills=1, seed=1, log=lambda _: None, start_from=published, pause=0.5)
    assert report.refresh_failures == 0
    assert report.reads > 20
    assert report.lock_errors == 0 and report.other_read_errors == 0
    assert report.inconsistent_reads == 0
    assert report.kills == 1 and report.bad_after_kill == 0 and report.recoveries_failed == 0
    assert len(report.publications) >= 3
    assert report.idempotent, report.checksums_before_after


def test_serving_file_is_published_read_only(published):
    serving = published / "serving.duckdb"
    assert not stat.S_IMODE(serving.stat().st_mode) & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)
    pub_id, checksums = publication(serving)
    assert pub_id and set(checksums) >= {"destination_share", "trade_balance"}
    with duckdb.connect(str(serving), read_only=True) as con, pytest.raises(duckdb.Error):
        con.execute("CREATE TABLE marts.x AS SELECT 1")
