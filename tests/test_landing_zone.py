"""A landing zone that never wedges and never counts the same content twice, end to end through the command line:
a file no parser can read is rejected by name and rule, quarantined, and the next refresh has nothing to do; a copy
of a shipped sample, byte for byte or re-saved, changes no mart and is named in one line with the file it repeats.
(The dozen kinds of bad bytes per format are proven at loader level: tests/feeds/test_unreadable_files.py.)"""

import json
import shutil

import dagster as dg
import duckdb

from orchestration import cli
from orchestration.run_log import _detail
from tests.helpers import SAMPLE, assert_rejected, drop, sha256

KCS = "kcs_monthly_partner"
RELEASES = SAMPLE / KCS / "published_releases_2025_01_2026_02.csv"


def refresh_cli(warehouse, monkeypatch, capsys) -> tuple[int, list[str]]:
    monkeypatch.setenv("WAREHOUSE_DIR", str(warehouse))
    code = cli.main(["refresh"])
    out, err = capsys.readouterr()
    return code, (out + err).splitlines()


def publication(warehouse) -> tuple[str, dict, dict]:
    with duckdb.connect(str(warehouse / "serving.duckdb"), read_only=True) as con:
        pub_id, counts, checksums = con.execute(
            "SELECT publication_id, row_counts, checksums FROM marts._publication"
        ).fetchone()
    return pub_id, json.loads(counts), json.loads(checksums)


def test_an_unreadable_file_is_quarantined_and_the_next_refresh_has_nothing_to_do(warehouse, monkeypatch, capsys):
    # the file: a few lines of text with varying field counts
    bad = drop(warehouse, KCS, "notes.csv", "exported by hand\nperiod,partner\n2026-10,USA,export,1\n\n;;\n")
    assert_rejected(warehouse, bad, "landing/kcs_monthly_partner/notes.csv", "every row has the header's 1 field")
    before = sha256(warehouse / "serving.duckdb")
    code, lines = refresh_cli(warehouse, monkeypatch, capsys)
    assert code == 0 and lines[0].startswith("nothing changed since the last publication"), lines[:2]
    assert sha256(warehouse / "serving.duckdb") == before


def test_a_shipped_sample_copied_into_landing_changes_no_mart(warehouse, monkeypatch, capsys):
    _, counts, checksums = publication(warehouse)
    landing = warehouse / "landing" / KCS
    landing.mkdir(parents=True)
    shutil.copy2(RELEASES, landing / RELEASES.name)  # byte for byte, under its own name
    text = RELEASES.read_bytes()  # re-saved with the other line endings: the same figures, other bytes
    drop(
        warehouse, KCS, "resaved.csv", text.replace(b"\r\n", b"\n") if b"\r\n" in text else text.replace(b"\n", b"\r\n")
    )
    code, lines = refresh_cli(warehouse, monkeypatch, capsys)
    assert code == 0, lines
    sample = "data/sample/kcs_monthly_partner/published_releases_2025_01_2026_02.csv"
    copy = f"{warehouse}/landing/{KCS}/{RELEASES.name}"
    assert f"{copy}: the same bytes as {sample}, which is loaded: not loaded again" in lines
    assert (
        f"{warehouse}/landing/{KCS}/resaved.csv: the same printed figures as {sample}, which is loaded: "
        "not loaded again"
    ) in lines
    [step] = [line for line in lines if line.startswith("  raw/kcs_monthly_partner")]
    assert "0 file(s) loaded, 12 unchanged, 2 duplicate(s) not loaded, changed: none" in step
    _, counts_after, checksums_after = publication(warehouse)
    assert (counts_after, checksums_after) == (counts, checksums)
    code, lines = refresh_cli(warehouse, monkeypatch, capsys)  # recorded: nothing to do, no line again
    assert code == 0 and lines[0].startswith("nothing changed since the last publication"), lines[:2]


def test_a_removal_says_removed():
    metadata = {
        "files_loaded": dg.MetadataValue.md("| file |\n|---|\n| landing/a.csv | removed |"),
        "files_removed": dg.MetadataValue.int(1),
        "files_unchanged": dg.MetadataValue.int(12),
        "duplicates": dg.MetadataValue.json([]),
        "months_changed": dg.MetadataValue.text("2026-10"),
    }
    assert _detail(metadata) == "0 file(s) loaded, 1 removed, 12 unchanged, changed: 2026-10"
