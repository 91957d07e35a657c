"""`make check-spark`'s comparison: a mart equal on both engines passes, any difference is reported.

The Spark build itself runs in `make check-spark` (CI); here Spark's tables are Parquet files written by DuckDB,
laid out as Spark writes them (`<tables>/marts.db/<mart>/part-*.parquet`).
"""

import duckdb
import pytest

from orchestration import spark_check
from orchestration.spark_check import CheckFailed, SparkDirs, compare_marts

MART = """
    SELECT * FROM (VALUES
        (DATE '2024-01-01', 'USA', 10.0, 1, true),
        (DATE '2024-01-01', 'CHN', 20.0, 2, false),
        (DATE '2024-02-01', 'USA', 1e12, 3, NULL)
    ) AS t(period_start, partner_code, exports_usd, periods_since, fragile)
"""
MART_COLUMNS = ["period_start", "partner_code", "exports_usd", "periods_since", "fragile"]


@pytest.fixture
def published(tmp_path):
    """serving.duckdb with one mart (and the publication table, which is not a mart)."""
    path = tmp_path / "serving.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("CREATE SCHEMA marts")
        con.execute(f"CREATE TABLE marts.destination_share AS {MART}")
        con.execute("CREATE TABLE marts._publication AS SELECT 'run-1' AS run_id")
    return path


def spark_table(tmp_path, sql: str) -> SparkDirs:
    dirs = SparkDirs(tmp_path / "spark")
    table = dirs.table("marts", "destination_share")
    table.mkdir(parents=True)
    duckdb.sql(f"COPY ({sql}) TO '{table / 'part-00000.parquet'}' (FORMAT parquet)")
    return dirs


def only(comparisons):
    assert [c.mart for c in comparisons] == ["destination_share"]
    return comparisons[0]


def test_same_rows_in_another_order_and_within_the_tolerance_are_equal(tmp_path, published):
    # Spark's row order is its own; 1e-10 relative is floating-point noise, within 1e-9
    dirs = spark_table(
        tmp_path,
        f"SELECT period_start, partner_code, exports_usd * (1 + 1e-10) AS exports_usd, periods_since, fragile "
        f"FROM ({MART}) ORDER BY partner_code",
    )
    comparison = only(compare_marts(published, dirs))
    assert comparison.equal, comparison.line()
    assert comparison.rows == 3
    assert 5e-11 < comparison.max_relative_difference < 2e-10


@pytest.mark.parametrize(
    "change, expected",
    [
        ("exports_usd * (1 + 1e-8) AS exports_usd", "3 rows differ"),  # every row beyond 1e-9 relative
        ("CASE WHEN partner_code = 'CHN' THEN 3 ELSE periods_since END AS periods_since", "1 rows differ"),
        ("CASE WHEN partner_code = 'CHN' THEN NULL ELSE fragile END AS fragile", "1 rows differ"),
    ],
)
def test_a_different_value_is_reported_with_the_row(tmp_path, published, change, expected):
    column = change.rsplit(" AS ", 1)[1]
    columns = ", ".join(change if c == column else c for c in MART_COLUMNS)
    comparison = only(compare_marts(published, spark_table(tmp_path, f"SELECT {columns} FROM ({MART})")))
    assert not comparison.equal
    assert expected in comparison.line()
    assert " vs " in comparison.example  # the DuckDB row and the Spark row, side by side


def test_missing_rows_and_columns_are_reported(tmp_path, published):
    fewer_rows = only(compare_marts(published, spark_table(tmp_path, f"SELECT * FROM ({MART}) LIMIT 2")))
    assert not fewer_rows.equal
    assert "3 rows in DuckDB, 2 on Spark" in fewer_rows.line()

    other = tmp_path / "other"
    other.mkdir()
    renamed = only(
        compare_marts(published, spark_table(other, f"SELECT * RENAME (fragile AS is_fragile) FROM ({MART})"))
    )
    assert not renamed.equal
    assert "only in DuckDB: fragile; only in Spark: is_fragile" in renamed.line()


def test_a_mart_not_built_on_spark_fails_the_check(tmp_path, published):
    with pytest.raises(CheckFailed, match="destination_share was not built on Spark"):
        compare_marts(published, SparkDirs(tmp_path / "spark"))


def test_missing_java_is_one_line_naming_the_package(monkeypatch):
    monkeypatch.setattr(spark_check.shutil, "which", lambda name: None)
    with pytest.raises(CheckFailed, match="openjdk-17-jre-headless"):
        spark_check.preflight()
