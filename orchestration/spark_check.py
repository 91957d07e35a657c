"""`make check-spark`: the dbt project built on Apache Spark, each mart compared with the DuckDB publication.

1. The validated raw layer (the `raw.<feed>` tables of warehouse.duckdb, as published) is exported as Parquet,
   which is what Spark reads (`register_raw_sources()` in dbt_project/macros/raw_sources.sql).
2. `dbt build --target spark` builds every seed and model and runs every data test on Spark in session mode
   (local mode, in the dbt process), into `<warehouse>/spark/tables/` (Parquet).
3. Each mart of serving.duckdb is compared with its Spark table: same columns, same rows; numbers equal
   within 1e-9 relative. One line per mart, and a summary.
"""

import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from orchestration import freshness
from orchestration.database import connect
from orchestration.feeds import FEEDS
from orchestration.settings import DBT_PROJECT_DIR, REPO_ROOT, WarehousePaths, dbt_environment
from orchestration.up_to_date import why_refresh
from orchestration.writer_lock import writer_lock

# dbt with dbt-spark and pyspark, in a venv of its own (`make check-spark` installs it): not in the warehouse's venv,
# where Great Expectations would import pyspark in every Dagster run process.
SPARK_DBT = Path(os.environ.get("SPARK_DBT") or REPO_ROOT / ".venv-spark" / "bin" / "dbt")
RELATIVE_TOLERANCE = 1e-9
FLOAT_TYPES = ("DOUBLE", "FLOAT", "REAL", "DECIMAL")


class CheckFailed(Exception):
    """Something the user can fix or must know: printed as one line, exit code 1."""


@dataclass(frozen=True)
class SparkDirs:
    """Where the Spark build lives: `<warehouse>/spark/` (raw Parquet, Spark's tables, dbt's target and logs)."""

    root: Path

    @classmethod
    def of(cls, paths: WarehousePaths) -> "SparkDirs":
        return cls(paths.root / "spark")

    @property
    def raw(self) -> Path:
        return self.root / "raw"

    @property
    def tables(self) -> Path:
        return self.root / "tables"

    def table(self, schema: str, name: str) -> Path:
        return self.tables / f"{schema}.db" / name


@dataclass(frozen=True)
class MartComparison:
    mart: str
    rows: int
    spark_rows: int
    columns_missing: tuple[str, ...]  # in DuckDB, not in Spark
    columns_extra: tuple[str, ...]  # in Spark, not in DuckDB
    rows_different: int
    max_relative_difference: float
    example: str = ""

    @property
    def equal(self) -> bool:
        return not (self.columns_missing or self.columns_extra or self.rows != self.spark_rows or self.rows_different)

    def line(self) -> str:
        if self.equal:
            worst = self.max_relative_difference
            return f"  {self.mart}: {self.rows:,} rows equal (largest relative difference {worst:.0e})"
        if self.columns_missing or self.columns_extra:
            return (
                f"  {self.mart}: DIFFERENT columns (only in DuckDB: {', '.join(self.columns_missing) or '-'}; "
                f"only in Spark: {', '.join(self.columns_extra) or '-'})"
            )
        return (
            f"  {self.mart}: DIFFERENT ({self.rows:,} rows in DuckDB, {self.spark_rows:,} on Spark, "
            f"{self.rows_different:,} rows differ; first: {self.example})"
        )


def preflight() -> None:
    """Java and the Spark venv are there, or one line says what to install."""
    if shutil.which("java") is None:
        raise CheckFailed("Java is missing: install a JRE 17 (Debian: apt-get install openjdk-17-jre-headless)")
    if not SPARK_DBT.exists():
        raise CheckFailed(f"{SPARK_DBT} is missing: `make check-spark` installs dbt-spark and pyspark there")


def export_raw(paths: WarehousePaths, out: Path) -> dict[str, int]:
    """Every feed's validated raw table, and the feeds' freshness, as `<out>/<table>/part-0.parquet`; rows per table."""
    shutil.rmtree(out, ignore_errors=True)
    rows = {}
    with writer_lock(paths), connect(paths.warehouse_db, read_only=True) as con:
        for feed in [*FEEDS, freshness.TABLE.removeprefix("raw.")]:
            target = out / feed / "part-0.parquet"
            target.parent.mkdir(parents=True)
            # COPY returns the rows it wrote: the raw view is read once
            rows[feed] = con.execute(f"COPY (SELECT * FROM raw.{feed}) TO '{target}' (FORMAT parquet)").fetchone()[0]
    return rows


def dbt_build_command(paths: WarehousePaths, dirs: SparkDirs, target: str) -> tuple[list[str], dict[str, str]]:
    """`dbt build --full-refresh` of every node on `target` (`spark`, or `local` for DuckDB): argv and environment.

    dbt writes its manifest and logs under `<warehouse>/spark/`, never into dbt_project/target/, whose
    manifest identifies the DuckDB build of the refresh (another build must not make the next refresh a full one).
    """
    dbt = SPARK_DBT if target == "spark" else Path(sys.executable).with_name("dbt")
    command = [
        str(dbt), "build", "--target", target, "--full-refresh",
        "--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR),
        "--target-path", str(dirs.root / f"target_{target}"), "--log-path", str(dirs.root / "logs"),
    ]  # fmt: skip
    return command, {**os.environ, **dbt_environment(paths), "SPARK_RAW_DIR": str(dirs.raw)}


def dbt_build_on_spark(paths: WarehousePaths, dirs: SparkDirs) -> str:
    """The Spark build into a fresh Spark warehouse directory; dbt's summary line."""
    shutil.rmtree(dirs.tables, ignore_errors=True)
    command, env = dbt_build_command(paths, dirs, "spark")
    log = dirs.root / "dbt_build.log"
    with log.open("w", encoding="utf-8") as out:
        done = subprocess.run(command, stdout=out, stderr=subprocess.STDOUT, env=env, check=False)
    lines = log.read_text(encoding="utf-8", errors="replace").splitlines()
    summary = next((line.split("Done. ", 1)[1] for line in reversed(lines) if "Done. " in line), "no summary")
    if done.returncode != 0:
        failures = [line.strip() for line in lines if " ERROR " in line or " FAIL " in line][:5]
        raise CheckFailed(f"dbt build on Spark failed ({summary}): {'; '.join(failures)} (log: {log})")
    return summary


def compare_marts(serving_db: Path, dirs: SparkDirs) -> list[MartComparison]:
    """Each mart of the publication against its Spark table (read from Spark's Parquet files)."""
    with connect(serving_db, read_only=True) as con:
        marts = [
            name
            for (name,) in con.execute(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = 'marts' AND NOT starts_with(table_name, '_') ORDER BY 1"
            ).fetchall()
        ]
        return [_compare(con, mart, dirs.table("marts", mart)) for mart in marts]


def _compare(con, mart: str, spark_table: Path) -> MartComparison:
    if not spark_table.is_dir():
        raise CheckFailed(f"mart {mart} was not built on Spark (no {spark_table})")
    con.execute(f"CREATE OR REPLACE TEMP VIEW spark_mart AS SELECT * FROM read_parquet('{spark_table}/*.parquet')")
    duck = con.execute(
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_schema = 'marts' AND table_name = ? ORDER BY ordinal_position",
        [mart],
    ).fetchall()
    spark_columns = [name for name, *_ in con.execute("DESCRIBE spark_mart").fetchall()]
    names = [name for name, _ in duck]
    rows = con.execute(f"SELECT count(*) FROM marts.{mart}").fetchone()[0]
    spark_rows = con.execute("SELECT count(*) FROM spark_mart").fetchone()[0]
    missing = tuple(n for n in names if n not in spark_columns)
    extra = tuple(n for n in spark_columns if n not in names)
    if missing or extra or rows != spark_rows:
        return MartComparison(mart, rows, spark_rows, missing, extra, 0, 0.0)
    floats = [f'"{n}"' for n, t in duck if t.startswith(FLOAT_TYPES)]
    exact = [f'"{n}"' for n, t in duck if not t.startswith(FLOAT_TYPES)]
    # both sides in one order: the exact columns first, then the numbers (rounded, so noise cannot reorder)
    order = ", ".join(exact + [f"round({c}, 6)" for c in floats])
    relative = [f"abs(d.{c} - s.{c}) / nullif(greatest(abs(d.{c}), abs(s.{c})), 0)" for c in floats]
    same = [f"d.{c} IS NOT DISTINCT FROM s.{c}" for c in exact] + [
        f"(d.{c} IS NOT DISTINCT FROM s.{c} OR coalesce({r}, 0) <= {RELATIVE_TOLERANCE})"
        for c, r in zip(floats, relative, strict=True)
    ]
    differences, worst, example = con.execute(
        f"""
        WITH d AS (SELECT *, row_number() OVER (ORDER BY {order}) AS row_id FROM marts.{mart}),
             s AS (SELECT *, row_number() OVER (ORDER BY {order}) AS row_id FROM spark_mart)
        SELECT count(*) FILTER (WHERE NOT ({" AND ".join(same)})),
               coalesce(max(greatest({", ".join(f"coalesce({r}, 0)" for r in relative) or "0"}, 0)), 0),
               any_value(CAST(d AS VARCHAR) || ' vs ' || CAST(s AS VARCHAR)) FILTER (WHERE NOT ({" AND ".join(same)}))
        FROM d JOIN s USING (row_id)
        """
    ).fetchone()
    return MartComparison(mart, rows, spark_rows, (), (), differences, worst, example or "")


def main(argv: list[str] | None = None) -> int:
    """The whole check; `export` only writes the raw layer's Parquet (the benchmark times the steps apart)."""
    started = time.monotonic()
    paths = WarehousePaths.from_env()
    dirs = SparkDirs.of(paths)
    if (argv if argv is not None else sys.argv[1:]) == ["export"]:
        rows = export_raw(paths, dirs.raw)
        print(f"raw layer exported as Parquet: {sum(rows.values()):,} rows of {len(rows)} raw tables ({dirs.raw})")
        return 0
    try:
        preflight()
        if not paths.serving_db.exists():
            raise CheckFailed(f"no DuckDB publication in {paths.root}: run `make run` first")
        if (reason := why_refresh(paths)) is not None:
            raise CheckFailed(f"the publication is behind the raw layer ({reason}): run `make run` first")
        rows = export_raw(paths, dirs.raw)
        exported = f"{sum(rows.values()):,} rows of {len(rows)} raw tables ({dirs.raw})"
        print(f"raw layer exported as Parquet for Spark: {exported}")
        print("dbt build --target spark (Spark local mode; every seed, model and data test) …", flush=True)
        summary = dbt_build_on_spark(paths, dirs)
        print(f"dbt build on Spark: {summary}")
        comparisons = compare_marts(paths.serving_db, dirs)
    except CheckFailed as error:
        print(f"check-spark failed: {error}")
        return 1
    print(f"each mart of {paths.serving_db.name} against its Spark table (numbers within {RELATIVE_TOLERANCE:g}):")
    for comparison in comparisons:
        print(comparison.line())
    different = [c.mart for c in comparisons if not c.equal]
    elapsed = time.monotonic() - started
    if different:
        print(f"check-spark failed: {len(different)} of {len(comparisons)} marts differ ({', '.join(different)})")
        return 1
    total = sum(c.rows for c in comparisons)
    print(f"check-spark passed: {len(comparisons)} marts, {total:,} rows, equal on Spark and DuckDB ({elapsed:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
