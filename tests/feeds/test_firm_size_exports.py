"""raw/firm_size_exports: the feed form with and without release dates, the MSS releases sample and the script
that makes it, OECD TEC SDMX-CSV, and a raw table of an older layout."""

import csv
import importlib.util
from datetime import date, datetime

import duckdb
import pandas as pd
import pytest

from orchestration import ledger
from orchestration.feeds import FEEDS
from orchestration.feeds.formats.firm_size import to_date
from orchestration.files import sha256_of
from orchestration.loading import load_feed, parse_file
from tests.helpers import FIXTURES, REPO, SAMPLE

SPEC = FEEDS["firm_size_exports"]
RELEASES = SAMPLE / "firm_size_exports" / "mss_sme_exports_releases.csv"
PUBLISHED = SAMPLE / "firm_size_exports" / "published_firm_size_exports.csv"
RELEASES_2025 = SAMPLE / "firm_size_exports" / "sme_exports_releases_2023_2025.csv"
ADDENDUM = REPO / "data" / "published" / "report_context" / "kr_sme_exports_by_destination_addendum.csv"


def csv_rows(path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_oecd_tec_scales_by_unit_mult_and_keeps_korean_exports_only():
    fmt, rows = parse_file(SPEC, FIXTURES / "oecd" / "oecd_tec_kor_2021.csv")
    assert fmt.name == "oecd_tec_sdmx"
    assert len(rows) == 6  # the import row and the Japanese row are dropped
    sme_world = rows[(rows.firm_size == "sme") & (rows.destination_code == "WLD") & (rows.measure == "exports_usd")]
    assert sme_world["value_number"].tolist() == [112e9]
    assert rows[rows.measure == "exporters"]["value_number"].tolist() == [92000.0]
    assert rows["release_date_value"].isna().all()  # SDMX-CSV has no release date


def test_release_dates_are_read_per_row():
    fmt, rows = parse_file(SPEC, RELEASES)
    assert fmt.name == "firm_size_csv"
    expected = [date.fromisoformat(r["release_date"]) for r in csv_rows(RELEASES)]
    assert [d.date() for d in rows["release_date_value"]] == expected
    world = rows[(rows.destination_code == "WLD") & (rows.period == "year") & (rows.year.isin(["2021", "2022"]))]
    releases = sorted(zip(world.year, world.release_date, world.release, world.value_number, strict=True))
    assert releases == [
        ("2021", "2022-01-20", "first release", 117.1e9),
        ("2021", "2024-01-30", "revised", 115.5e9),
        ("2022", "2023-02-28", "first release", 117.5e9),  # the note gives the month only: its last day
        ("2022", "2024-01-30", "revised", 114.5e9),
    ]


def test_a_file_without_release_dates_parses_to_null():
    _, rows = parse_file(SPEC, PUBLISHED)
    assert len(rows) == len(csv_rows(PUBLISHED))
    assert (rows["release_date"] == "").all() and rows["release_date_value"].isna().all()


def test_only_a_real_yyyy_mm_dd_day_is_a_date():
    parsed = to_date(pd.Series(["2024-01-30", "", "2024-02-30", "2024-1-30", "30.01.2024", "2024-01"]))
    assert parsed.iloc[0] == pd.Timestamp("2024-01-30")
    assert parsed.iloc[1:].isna().all()


def convert_script():
    path = REPO / "scripts" / "convert_sme_published.py"
    spec = importlib.util.spec_from_file_location("convert_sme_published", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_shipped_samples_are_what_the_script_makes(tmp_path):
    script = convert_script()
    published = script.convert(REPO / script.PUBLISHED, tmp_path / "p.csv", script.COLUMNS, script.published_rows)
    releases = script.convert(
        REPO / script.ADDENDUM, tmp_path / "r.csv", [*script.COLUMNS, "release_date"], script.addendum_rows
    )
    script.convert(REPO / script.RELEASES, tmp_path / "r25.csv", [*script.COLUMNS, "release_date"], script.release_rows)
    assert (tmp_path / "p.csv").read_bytes() == PUBLISHED.read_bytes()
    assert (tmp_path / "r.csv").read_bytes() == RELEASES.read_bytes()
    assert (tmp_path / "r25.csv").read_bytes() == RELEASES_2025.read_bytes()
    assert published == len(csv_rows(REPO / script.PUBLISHED))
    # every addendum row with a number, plus the 2022 first release its note states; statements left out
    addendum = csv_rows(ADDENDUM)
    assert releases == sum(r["metric"] != "statement" for r in addendum) + 1
    assert {r["metric"] for r in addendum} == {"exports", "growth_yoy", "statement"}


def test_releases_2023_2025_keep_every_release_and_the_customs_series_apart():
    """13 typed rows: each value, and each printed growth rate, with its release day; customs' firm-characteristics
    rows are the TEC series (KOSTAT_TEC), never MSS."""
    typed = csv_rows(REPO / convert_script().RELEASES)
    _, rows = parse_file(SPEC, RELEASES_2025)
    assert len(typed) == 13 and len(rows) == sum(bool(r["value_usd_mn"]) + bool(r["yoy_pct"]) for r in typed)
    world = rows[(rows.firm_size == "sme") & (rows.destination_code == "WLD") & (rows.measure == "exports_usd")]
    assert sorted(
        zip(world.source, world.year, world.release_date, world.release, world.value_number, strict=True)
    ) == [
        ("KOSTAT_TEC", "2025", "2026-02-10", "preliminary", 113.5e9),
        ("MSS", "2023", "2026-01-28", "revised", 109.7e9),
        ("MSS", "2024", "2025-01-23", "preliminary", 115.1e9),
        ("MSS", "2024", "2026-01-28", "revised", 111.0e9),
        ("MSS", "2025", "2026-01-28", "preliminary", 118.6e9),
    ]
    assert set(rows[rows.publisher.str.startswith("KCS")].source) == {"KOSTAT_TEC"}
    assert set(rows[rows.source == "KOSTAT_TEC"].firm_size) == {"sme", "middle", "large"}


def test_a_month_only_release_is_dated_its_last_day():
    script = convert_script()
    assert script.release_date_of("2022-01-20 (MSS annual, first release)") == "2022-01-20"
    assert script.release_date_of("2023-02") == "2023-02-28"
    assert script.release_date_of("2024-02 release") == "2024-02-29"
    with pytest.raises(ValueError):
        script.release_date_of("MSS annual")


def test_raw_table_of_an_older_layout_is_read_again():
    """A warehouse loaded before `release_date` existed: the feed's files are parsed again into the new columns."""
    con = duckdb.connect()
    ledger.ensure_tables(con)
    old = {k: v for k, v in SPEC.table_columns.items() if k != "release_date"}
    con.execute(f"CREATE TABLE raw.firm_size_exports__parsed ({', '.join(f'{k} {v}' for k, v in old.items())})")
    stat = PUBLISHED.stat()  # the ledger knows the file, unchanged since: it would not be read again
    ledger.record(
        con,
        ledger.LedgerRow(
            SPEC.name,
            str(PUBLISHED),
            "published_firm_size_exports.csv",
            stat.st_size,
            stat.st_mtime_ns,
            sha256_of(PUBLISHED),
            "firm_size_csv",
            False,
            date(2026, 1, 1),
            len(csv_rows(PUBLISHED)),
            [],
            datetime(2026, 1, 1),
        ),
    )
    first = load_feed(SPEC, [PUBLISHED], con)
    assert [f.path for f in first.files] == [PUBLISHED] and first.unchanged == 0
    columns = [c for (c,) in con.execute("SELECT column_name FROM (DESCRIBE raw.firm_size_exports__parsed)").fetchall()]
    assert columns == list(SPEC.table_columns)
    again = load_feed(SPEC, [PUBLISHED, RELEASES], con)  # the current layout: only the new file is read
    assert [f.path for f in again.files] == [RELEASES] and again.unchanged == 1
    dates = con.execute("""SELECT value, release_date FROM raw.firm_size_exports WHERE source = 'MSS'
        AND year = 2022 AND period = 'year' AND destination_code = 'WLD' AND measure = 'exports_usd'
        ORDER BY release_date NULLS FIRST""").fetchall()
    assert dates == [(117.46e9, None), (117.5e9, date(2023, 2, 28)), (114.5e9, date(2024, 1, 30))]
