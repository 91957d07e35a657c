"""The window of changed months (orchestration.raw_views) reads only the bulk files that hold them."""

from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest

from orchestration import ledger
from orchestration.feeds import FEEDS
from orchestration.loading import prepare
from orchestration.raw_views import create_window_view, feed_view_sql, parsed_table, window_sql

SPEC = FEEDS["kcs_monthly_partner"]
JAN, FEB, MAR = date(2025, 1, 1), date(2025, 2, 1), date(2025, 3, 1)


def bulk_file(con, tmp_path: Path, name: str, months: list[date]) -> Path:
    """A parquet file in the long form with one USA export row per month, recorded in the ledger."""
    path = tmp_path / name
    rows = " UNION ALL ".join(
        f"SELECT '{m:%Y-%m}' AS period, 'USA' AS partner_code, 'export' AS flow, "
        f"NULL AS hs_code, {m.month}.0 AS value_usd"
        for m in months
    )
    con.execute(f"COPY ({rows}) TO '{path}' (FORMAT parquet)")
    ledger.record(
        con,
        ledger.LedgerRow(
            SPEC.name,
            str(path),
            name,
            1,
            1,
            "sha",
            "kcs_long_parquet",
            True,
            date(2025, 4, 1),
            len(months),
            months,
            datetime(2025, 4, 1),
        ),
    )
    return path


@pytest.fixture
def con(tmp_path):
    con = duckdb.connect()
    prepare(SPEC, con)
    bulk_file(con, tmp_path, "jan_feb.parquet", [JAN, FEB])
    bulk_file(con, tmp_path, "mar.parquet", [MAR])
    con.execute(
        f"INSERT INTO {parsed_table(SPEC)} (period, partner_code, flow, value_usd, source_file) "
        "VALUES (DATE '2025-02-01', 'CHN', 'export', 20.0, 'parsed.csv')"
    )
    yield con
    con.close()


def test_window_reads_only_the_files_holding_the_months(con):
    sql = window_sql(SPEC, [FEB], con)
    assert "jan_feb.parquet" in sql and "mar.parquet" not in sql
    assert sorted(con.execute(f"SELECT partner_code, period, value_usd FROM ({sql})").fetchall()) == [
        ("CHN", FEB, 20.0),
        ("USA", FEB, 2.0),
    ]


def test_a_file_wholly_inside_the_window_is_read_without_a_month_filter(con):
    sql = window_sql(SPEC, [MAR], con)
    mar_part = next(part for part in sql.split("UNION ALL\nSELECT") if "mar.parquet" in part)
    assert "WHERE period IN" not in mar_part.split("AS b(")[-1]
    assert con.execute(f"SELECT count(*) FROM ({sql}) WHERE partner_code = 'USA'").fetchone()[0] == 1


def test_no_months_is_an_empty_window(con):
    create_window_view(SPEC, [], con)
    assert con.execute(f"SELECT count(*) FROM raw.{SPEC.name}__window").fetchone()[0] == 0


def test_feed_view_has_parsed_rows_and_every_bulk_file_with_lineage(con):
    con.execute(feed_view_sql(SPEC, con))
    rows = con.execute(
        f"SELECT source_file, period, hs_code, vintage FROM raw.{SPEC.name} ORDER BY period, source_file"
    ).fetchall()
    april = date(2025, 4, 1)
    assert rows == [
        ("jan_feb.parquet", JAN, "TOTAL", april),
        ("jan_feb.parquet", FEB, "TOTAL", april),
        ("parsed.csv", FEB, None, None),
        ("mar.parquet", MAR, "TOTAL", april),
    ]
