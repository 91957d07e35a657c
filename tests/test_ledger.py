"""The bookkeeping tables (orchestration.ledger) on an in-memory DuckDB: change detection and the build plan."""

import os
from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest

from orchestration import ledger
from orchestration.files import sha256_of

T0 = datetime(2026, 1, 1, 12, 0)


@pytest.fixture
def con():
    con = duckdb.connect()
    ledger.ensure_tables(con)
    yield con
    con.close()


def write(path: Path, text: str) -> Path:
    path.write_text(text)
    return path


def record(con, path: Path, vintage=date(2025, 1, 1), months=()) -> None:
    stat = path.stat()
    ledger.record(
        con,
        ledger.LedgerRow(
            "feed",
            str(path),
            path.name,
            stat.st_size,
            stat.st_mtime_ns,
            sha256_of(path),
            "csv",
            False,
            vintage,
            1,
            list(months),
            T0,
        ),
    )


def no_declared_vintage(_):
    return None


def test_new_unchanged_touched_changed_and_removed_files(con, tmp_path):
    same, touched, edited, gone = (write(tmp_path / f"{n}.csv", n) for n in ("same", "touched", "edited", "gone"))
    for path in (same, touched, edited, gone):
        record(con, path)
    new = write(tmp_path / "new.csv", "new")
    os.utime(touched, ns=(1, 1))  # same bytes, new mtime
    write(edited, "edited, longer")
    gone.unlink()
    changes = ledger.detect_changes(con, "feed", [same, touched, edited, new], no_declared_vintage)
    assert [p.name for p, _ in changes.new_or_changed] == ["edited.csv", "new.csv"]
    assert [sha for _, sha in changes.new_or_changed] == [sha256_of(edited), sha256_of(new)]
    assert changes.unchanged == 2 and changes.removed == [str(gone)]
    assert ledger.known_files(con, "feed")[str(touched)].mtime_ns == 1  # noted: not hashed again next time


def test_a_file_whose_declared_vintage_changed_is_loaded_again(con, tmp_path):
    path = write(tmp_path / "a.csv", "a")
    record(con, path, vintage=date(2025, 1, 1))
    assert ledger.detect_changes(con, "feed", [path], lambda _: date(2025, 1, 1)).unchanged == 1
    assert ledger.detect_changes(con, "feed", [path], lambda _: date(2025, 2, 1)).new_or_changed[0][0] == path


def test_months_and_forgetting(con, tmp_path):
    a, b = write(tmp_path / "a.csv", "a"), write(tmp_path / "b.csv", "b")
    record(con, a, months=[date(2024, 12, 1), date(2025, 1, 1)])
    record(con, b, months=[date(2025, 1, 1)])
    assert ledger.months_of(con, "feed", [str(a)]) == {date(2024, 12, 1), date(2025, 1, 1)}
    assert ledger.forget(con, "feed", [str(a)]) == ["a.csv"]
    assert list(ledger.known_files(con, "feed")) == [str(b)]


def test_the_same_bytes_keep_the_day_they_were_first_seen(con):
    assert ledger.first_seen(con, "abc", date(2025, 1, 1)) == date(2025, 1, 1)
    assert ledger.first_seen(con, "abc", date(2025, 6, 1)) == date(2025, 1, 1)


def test_ledger_of_another_layout_is_refused_with_the_fix():
    con = duckdb.connect()
    con.execute("CREATE SCHEMA raw; CREATE TABLE raw._files (feed VARCHAR, path VARCHAR, file VARCHAR)")
    with pytest.raises(ledger.LedgerOutdated, match="make clean"):
        ledger.ensure_tables(con)


# --- the build plan -------------------------------------------------------------------------------------------


def plan(con, manifest="m1", published="run-1") -> ledger.BuildPlan:
    return ledger.build_plan(con, manifest, published)


def test_first_build_is_a_full_rebuild(con):
    first = plan(con)
    assert first.needed and first.full_rebuild and first.reasons == ("no build yet",)


def test_nothing_changed_since_the_published_build_needs_nothing(con):
    ledger.record_build(con, "m1", T0, "run-1")
    assert plan(con) == ledger.BuildPlan()
    assert not plan(con).needed


def test_pending_months_are_rebuilt_incrementally_then_cleared(con):
    ledger.record_build(con, "m1", T0, "run-1")
    ledger.note_pending(con, "kcs_monthly_partner", [date(2025, 1, 1), date(2024, 12, 1)], T0.replace(hour=13))
    ledger.note_pending(con, "kosis_annual_partner", None, T0.replace(hour=13))
    pending = plan(con)
    assert pending.months == (date(2024, 12, 1), date(2025, 1, 1)) and not pending.full_rebuild
    assert pending.feeds == ("kcs_monthly_partner", "kosis_annual_partner")
    assert pending.reasons == ("2 month(s) changed", "feed(s) changed: kosis_annual_partner")
    ledger.record_build(con, "m1", T0.replace(hour=14), "run-2")  # the build started after they were noted
    assert not plan(con, published="run-2").needed


def test_months_noted_after_a_build_started_stay_pending(con):
    ledger.note_pending(con, "kcs_monthly_partner", [date(2025, 1, 1)], T0.replace(hour=15))
    ledger.record_build(con, "m1", T0.replace(hour=14), "run-1")
    assert plan(con).months == (date(2025, 1, 1),)


def test_full_rebuild_requested_changed_project_or_unpublished_build(con):
    ledger.record_build(con, "m1", T0, "run-1")
    assert plan(con, manifest="m2").reasons == ("dbt project changed",) and plan(con, manifest="m2").full_rebuild
    unpublished = plan(con, published="an-older-run")
    assert unpublished.reasons == ("the last build was not published",) and not unpublished.full_rebuild
    ledger.request_full_rebuild(con, T0.replace(hour=13))
    assert plan(con).full_rebuild and plan(con).reasons == ("full rebuild requested",)


def test_a_copy_of_a_loaded_file_is_a_duplicate_until_the_original_is_gone(con, tmp_path):
    sample, landing = tmp_path / "sample", tmp_path / "landing"
    sample.mkdir(), landing.mkdir()
    original = write(sample / "releases.csv", "figures")
    record(con, original)
    copy, twin_a, twin_b = (
        write(landing / n, t) for n, t in [("releases.csv", "figures"), ("a.csv", "x"), ("b.csv", "x")]
    )
    first = ledger.detect_changes(con, "feed", [original, copy, twin_a, twin_b], no_declared_vintage)
    # the copy of a loaded file, and the second of two new twins (the first by path is loaded), are not loaded
    assert first.new_or_changed == [(twin_a, sha256_of(twin_a))]
    assert first.duplicates == [(copy, str(original)), (twin_b, str(twin_a))]
    record(con, twin_a)
    again = ledger.detect_changes(con, "feed", [original, copy, twin_a, twin_b], no_declared_vintage)
    assert (again.new_or_changed, again.duplicates, again.unchanged) == ([], [], 4)  # recorded: reported once
    gone = ledger.detect_changes(con, "feed", [copy, twin_a, twin_b], no_declared_vintage)
    assert gone.removed == [str(original)] and gone.new_or_changed == [(copy, sha256_of(copy))]
