"""Partitioned, incremental refreshes: only what changed is read, validated and rebuilt, and the result
is exactly what a full rebuild gives. Speed itself is measured by bench/refresh_benchmark.py."""

import json
from pathlib import Path

import duckdb
import pytest

from orchestration.cli import failure_messages, request_full_refresh
from orchestration.feeds import FEEDS
from orchestration.loading import parse_file
from orchestration.validation.gx_suites import validate_file
from orchestration.validation.suite_sql import validate_relation
from tests.helpers import refresh, resource, sha256

KCS = "kcs_monthly_partner"
COLUMNS = ("period", "partner_code", "flow", "hs_code", "value_usd")
# 2026-10 at HS level: the month after the sample's data (world to 2026-09); per product, WLD is the world total
# (of which the three partners are a part) and all products together a plausible month (the gates judge it).
MONTH = "2026-10"
NEW_MONTH = [
    (MONTH, p, "export", hs, v)
    for hs, values in {
        "8542310000": {"USA": 900e6, "CHN": 14_000e6, "VNM": 3_000e6},
        "8703230000": {"USA": 2_100e6, "CHN": 50e6, "VNM": 30e6},
    }.items()
    for p, v in values.items()
]
NEW_MONTH += [(MONTH, "WLD", "export", "8542310000", 40_000e6), (MONTH, "WLD", "export", "8703230000", 25_000e6)]


def write_parquet(path: Path, rows: list[tuple], columns=COLUMNS) -> Path:
    """A parquet file in the canonical long form (the bulk form DuckDB reads in place)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    con.execute(f"CREATE TABLE t ({', '.join(f'{c} VARCHAR' for c in columns[:-1])}, {columns[-1]} DOUBLE)")
    con.executemany(f"INSERT INTO t VALUES ({', '.join('?' * len(columns))})", rows)
    con.execute(f"COPY t TO '{path}' (FORMAT parquet)")
    con.close()
    return path


def publication(warehouse: Path) -> tuple[str, dict]:
    with duckdb.connect(str(warehouse / "serving.duckdb"), read_only=True) as con:
        publication_id, checksums = con.execute("SELECT publication_id, checksums FROM marts._publication").fetchone()
    return publication_id, json.loads(checksums)


def query(warehouse: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(warehouse / "warehouse.duckdb"), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_noop_refresh_reads_nothing_and_keeps_the_publication(warehouse):
    before, _ = publication(warehouse)
    result = refresh(warehouse)
    assert result.success, failure_messages(result)
    materialized = {e.asset_key.path[0] for e in result.get_asset_materialization_events()}
    assert materialized == {"raw"}, "only the raw feeds report (nothing changed): no dbt build, no publication"
    assert publication(warehouse)[0] == before
    assert query(warehouse, "SELECT count(*) FROM raw._pending") == [(0,)]


def test_new_month_is_incremental_and_equals_a_full_rebuild(warehouse):
    """One new month in parquet: only that month is validated and recomputed (the rest of raw is not read
    again), the marts show it, and every mart equals a full rebuild from scratch on the same files."""
    _, original = publication(warehouse)
    new_file = write_parquet(warehouse / "landing" / KCS / "kcs_hs10_2026_10.parquet", NEW_MONTH)
    result = refresh(warehouse)
    assert result.success, failure_messages(result)
    [kcs] = [e for e in result.get_asset_materialization_events() if e.asset_key.path == ["raw", KCS]]
    metadata = kcs.materialization.metadata
    assert metadata["months_changed"].value == MONTH
    assert metadata["files_unchanged"].value == 12  # the shipped files were not read again
    assert query(
        warehouse,
        """SELECT value_usd FROM intermediate.int_monthly_partner_trade
        WHERE period = DATE '2026-10-01' AND partner_code = 'USA' AND flow = 'export'""",
    ) == [(3_000e6,)]
    _, incremental = publication(warehouse)
    assert incremental["destination_share"] != original["destination_share"]

    request_full_refresh(resource(warehouse))  # what `python -m orchestration.cli refresh --full` does first
    result = refresh(warehouse)
    assert result.success, failure_messages(result)
    assert publication(warehouse)[1] == incremental

    new_file.unlink()  # a removed file takes its months with it
    assert refresh(warehouse).success
    assert publication(warehouse)[1] == original


def test_revised_month_replaces_only_that_month(warehouse):
    """A revision (new vintage) of 2024-12 recomputes 2024-12: the latest vintage wins in the marts, the
    earlier one stays in export_vintages, and other months are untouched; a value derived from 2024-12's (2025-12 of
    the final release, which printed only the growth rate; the statistics outrank it) follows its base."""
    months = (
        "SELECT period, partner_code, flow, value_usd FROM intermediate.int_monthly_partner_trade"
        " WHERE period <> DATE '2024-12-01' AND NOT (period = DATE '2025-12-01' AND partner_code = 'USA') ORDER BY ALL"
    )
    derived = """SELECT value_usd, rank_in_month > 1 FROM intermediate.int_monthly_partner_releases
        WHERE period = DATE '2025-12-01' AND partner_code = 'USA' AND flow = 'export' AND release_type = 'final'
          AND value_basis = 'derived from growth'"""
    before = query(warehouse, months)
    write_parquet(
        warehouse / "landing" / KCS / "kcs_2024_12__vintage-2027-01-15.parquet",
        [("2024-12", "USA", "export", "TOTAL", 11_950_000_000.0)],
    )
    result = refresh(warehouse)
    assert result.success, failure_messages(result)
    assert (
        query(
            warehouse,
            """SELECT value_usd, vintage FROM intermediate.int_monthly_partner_trade
        WHERE period = DATE '2024-12-01' AND partner_code = 'USA' AND flow = 'export'""",
        )[0][0]
        == 11_950_000_000.0
    )
    assert (
        query(
            warehouse,
            """SELECT count(*) FROM marts.export_vintages
        WHERE period_start = DATE '2024-12-01' AND partner_code = 'USA'""",
        )[0][0]
        >= 2
    )
    assert query(warehouse, months) == before
    assert query(warehouse, derived) == [(pytest.approx(11_950_000_000.0 * 1.037), True)]  # +3.7 %


def test_bad_bulk_file_is_rejected_naming_file_row_and_rule(warehouse):
    """A parquet file is validated in DuckDB (never loaded into pandas); a failure names the file, the row
    (record number) and the rule, quarantines the file, and leaves raw, pending and serving as they were."""
    rows = [
        *NEW_MONTH[:3],
        (MONTH, "USA", "export", "8542310000", 5.0),
        (MONTH, "XYZ", "export", "TOTAL", 1.0),
        (MONTH, "CHN", "export", "TOTAL", -3.0),
    ]
    bad = write_parquet(warehouse / "landing" / KCS / "bad_2025_01.parquet", rows)
    serving_before = sha256(warehouse / "serving.duckdb")
    files_before = query(warehouse, "FROM raw._files ORDER BY ALL")
    result = refresh(warehouse)
    message = "\n".join(failure_messages(result))
    assert not result.success
    assert (
        "bad_2025_01.parquet: rule 'one row per period, partner, flow and product in a file (per release and "
        "citation)' failed at row(s) 1, 4" in message
    )
    assert "rule 'partner code is known (ISO-3 country, partner group or WLD)' failed at row(s) 5" in message
    assert "rule 'value is not negative' failed at row(s) 6" in message
    assert not bad.exists() and list((warehouse / "quarantine" / KCS).glob("*bad_2025_01.parquet"))
    assert sha256(warehouse / "serving.duckdb") == serving_before
    assert query(warehouse, "FROM raw._files ORDER BY ALL") == files_before
    assert query(warehouse, "SELECT count(*) FROM raw._pending") == [(0,)]


@pytest.mark.parametrize(
    "rows, rule",
    [
        ([("2025-13", "USA", "export", "TOTAL", 1.0)], "period is a month (YYYY-MM, YYYY.MM or YYYY-MM-01)"),
        ([("2025-01", "USA", "both", "TOTAL", 1.0)], "flow is export or import"),
        ([("2025-01", "USA", "export", "TOTAL", None)], "value is a number"),
    ],
)
def test_sql_engine_agrees_with_gx(tmp_path, rows, rule):
    """The suite compiled to SQL (bulk parquet) and GX on the parsed CSV find the same rule broken."""
    spec = FEEDS[KCS]
    csv = tmp_path / "long.csv"
    csv.write_text(
        "period,partner_code,flow,hs_code,value_usd\n"
        + "".join(",".join("" if v is None else str(v) for v in r) + "\n" for r in rows)
    )
    _, frame = parse_file(spec, csv)
    _, gx_failures = validate_file(KCS, frame, "long.csv")
    fmt, _ = parse_file(spec, write_parquet(tmp_path / "long.parquet", rows))
    con = duckdb.connect()
    con.execute("CREATE SCHEMA raw; CREATE TABLE raw._partner_kinds AS SELECT 'USA' AS code, 'country' AS kind")
    run = validate_relation(KCS, fmt.scan(f"['{tmp_path / 'long.parquet'}']"), "long.parquet", "period", con)
    assert [f.rule for f in gx_failures] == [f.rule for f in run.failures] == [rule]
    assert [r - 1 for r in gx_failures[0].rows] == run.failures[0].rows  # CSV line 2 = record 1


def test_synthetic_feed_is_deterministic_exact_and_skewed(tmp_path):
    """bench/generate_kcs_feed.py: N rows exactly, the same file for the same seed, a different one for
    another seed, WLD = sum of partners, and value concentrated in a few partners as in the real data."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("gen", Path(__file__).parents[1] / "bench" / "generate_kcs_feed.py")
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    files = [
        gen.generate(tmp_path / f"{name}.parquet", 60_000, seed, months=12)
        for name, seed in (("a", 7), ("b", 7), ("c", 8))
    ]
    con = duckdb.connect()
    digest = "SELECT count(*), sum(hash(period, partner_code, hs_code, value_usd)) FROM read_parquet('{}')"
    a, b, c = (con.execute(digest.format(f)).fetchone() for f in files)
    assert a == b and a[0] == 60_000 and c != a
    world_gap, top2_share = con.execute(f"""
        WITH t AS (SELECT partner_code, sum(value_usd) AS v FROM read_parquet('{files[0]}') GROUP BY 1)
        SELECT (SELECT v FROM t WHERE partner_code = 'WLD') - (SELECT sum(v) FROM t WHERE partner_code <> 'WLD'),
               (SELECT sum(v) FROM t WHERE partner_code IN ('CHN', 'USA'))
               / (SELECT v FROM t WHERE partner_code = 'WLD')
    """).fetchone()
    assert world_gap == 0
    assert 0.3 < top2_share < 0.5  # China + US: ~38 % of the total, as in Korea's exports


def test_build_that_died_before_publishing_is_published_by_the_next_refresh(warehouse):
    """A run killed after `dbt build` but before publication leaves a build newer than serving.duckdb: with
    nothing pending, the next refresh must still build and publish (not skip as a no-op)."""
    before, checksums = publication(warehouse)
    with duckdb.connect(str(warehouse / "warehouse.duckdb")) as con:
        con.execute(
            "INSERT INTO raw._dbt_builds SELECT manifest_sha256, built_at + INTERVAL 1 SECOND, 'killed-run' "
            "FROM raw._dbt_builds ORDER BY built_at DESC LIMIT 1"  # on the warehouse's clock, whatever it says
        )
    result = refresh(warehouse)
    assert result.success, failure_messages(result)
    after, checksums_after = publication(warehouse)
    assert after != before and checksums_after == checksums
    assert refresh(warehouse).success and publication(warehouse)[0] == after  # then a no-op again
