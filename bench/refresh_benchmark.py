"""Bare DuckDB vs the warehouse's full, incremental and no-op refresh on a synthetic feed of N rows.

First, on the shipped sample: a full refresh, one new month of nine partners (2026-08, the shipped region file's
last month again) and a no-op, with the new month's seconds per step (raw, dbt, publish, reports, the rest) and
when its publication was swapped in (target: 10 s).

For each N: generate the history (bench/generate_kcs_feed.py: N rows of HS-10 × partner × month,
2000-01 … 2024-12, parquet) into a sample directory next to copies of the other shipped feeds, and
one more month (2025-01, N/300 rows), then run, each in a fresh subprocess:
  floor            bare DuckDB SQL: monthly/quarterly/yearly exports per partner and share of WLD from the parquet
  validated floor  the same after the checks the refresh makes on this feed, in bare DuckDB (CHECKS_SQL)
  full             `python -m orchestration.cli refresh` on a fresh WAREHOUSE_DIR (validation, load, table
                   rules, dbt build, publish, charts)
  incremental      the new month dropped into landing, then the same command
  no-op            the same command again, nothing changed
and, at --spark-rows (10M) if Java and the `spark` extra are there (`make check-spark` installs them), the same
dbt build (every seed, model and test, full refresh) from the refreshed warehouse on both engines:
  spark export     the validated raw layer written as Parquet for Spark (orchestration/spark_check.py)
  dbt duckdb       `dbt build --target local --full-refresh`
  dbt spark        `dbt build --target spark --full-refresh` (Spark local mode, 2 cores, in the dbt process)
(every refresh must exit 0) and report wall time, CPU time (user + sys, children included) and memory:
  max RSS  largest resident set of any one process of the run (exact, from os.wait4)
  sum RSS  peak of the summed RSS of the run's processes (sampled every 0.1 s: the refresh runs dbt in its
           own process; the bare-engine runs are a dbt process each)

    .venv/bin/python bench/refresh_benchmark.py [--rows 10000000 50000000] [--seed 0] [--keep]
    make bench [ROWS="10000000 200000000"]   (10M and 50M, or the N of ROWS; CI: ROWS=1000000)

The last line is machine-readable, for the largest N: rows=<N> full_over_validated_floor=<x>
incremental_over_full=<y> noop_s=<s> peak_rss_gb=<g> (peak: the largest sum RSS of the three refreshes),
then spark_over_duckdb=<z> (dbt spark / dbt duckdb wall) where the Spark lines ran.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from orchestration.feeds import FEEDS
from orchestration.settings import REPO_ROOT, SAMPLE_DIR, SEEDS_DIR, TELEMETRY_OFF, WarehousePaths, duckdb_config
from orchestration.spark_check import CheckFailed, SparkDirs, dbt_build_command, preflight

HISTORY_MONTHS = 300  # 2000-01 … 2024-12; the incremental month is 2025-01
OTHER_FEEDS = tuple(name for name in FEEDS if name != "kcs_monthly_partner")  # shipped as they are
# Real HS 8542 exports to some partners exceed their synthetic totals, which the product_composition
# rule (share <= 1) rightly rejects: that file stays out of the synthetic sample.
INCONSISTENT_WITH_SYNTHETIC = shutil.ignore_patterns("kcs_hs8542_*")
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
MB = 1 << 20

# What destination_share computes for a feed of product rows (the synthetic feed has no TOTAL rows, so a
# partner-month is the sum of its products): months, complete quarters and years, share of the WLD row.
SETTINGS_SQL = """
SET threads = {threads}; SET memory_limit = '{memory_limit}'; SET preserve_insertion_order = false;
SET enable_progress_bar = false;
"""
FLOOR_SQL = """
CREATE TABLE destination_share AS
WITH months AS (
    SELECT CAST(period || '-01' AS DATE) AS period, partner_code, sum(value_usd::DOUBLE) AS exports_usd
    FROM read_parquet('{parquet}') WHERE flow = 'export' GROUP BY ALL),
periods AS (
    SELECT period AS period_start, 'month' AS frequency, partner_code, exports_usd FROM months
    UNION ALL
    SELECT date_trunc('quarter', period)::DATE, 'quarter', partner_code, sum(exports_usd)
    FROM months GROUP BY 1, partner_code HAVING count(*) = 3
    UNION ALL
    SELECT date_trunc('year', period)::DATE, 'year', partner_code, sum(exports_usd)
    FROM months GROUP BY 1, partner_code HAVING count(*) = 12)
SELECT p.*, w.exports_usd AS world_exports_usd, p.exports_usd / w.exports_usd AS share
FROM periods AS p
LEFT JOIN periods AS w ON w.partner_code = 'WLD' AND w.frequency = p.frequency AND w.period_start = p.period_start;
"""
# The checks the refresh makes on this feed, in bare DuckDB, as fast as measured here: one aggregation by
# month × flow × product for the suite's row rules (flow known, value a number and not negative), partner known
# and no country above the world total of its month, flow and product (the period rule then runs on the few
# distinct months); one row per period × partner × flow × product checked month batch by month batch (≤ 10M
# rows: the parquet's row groups are pruned by month, memory stays ~1 GB; one hash aggregation of all 50M keys
# takes longer and ~5 GB); then the floor's aggregation. Measured alternatives (50M rows): count(DISTINCT
# partner) per product-month instead of the key batches 37 s and 6.9 GB; GROUPING SETS of the rules and the
# floor in one scan 17.8 s against 7.1 s + 2.3 s. Any violation fails the run (the synthetic feed is clean).
CHECKS_SQL = """
CREATE TEMP TABLE partner_kinds AS
    SELECT iso3 AS code, 'country' AS kind FROM read_csv('{seeds}/countries.csv', all_varchar = true)
    UNION ALL SELECT group_code, 'group' FROM read_csv('{seeds}/partner_groups.csv', all_varchar = true)
    UNION ALL SELECT 'WLD', 'world';
CREATE TEMP TABLE product_months AS
SELECT period, flow, hs_code, count(*) AS n,
       count(*) FILTER (WHERE k.kind IS NULL) AS unknown_partner, count(*) FILTER (WHERE v IS NULL) AS no_value,
       count(*) FILTER (WHERE v < 0) AS negative, max(v) FILTER (WHERE k.kind = 'country') AS max_country,
       min(v) FILTER (WHERE k.kind = 'world') AS world
FROM (SELECT CAST(period AS VARCHAR) AS period, partner_code, CAST(flow AS VARCHAR) AS flow,
             coalesce(CAST(hs_code AS VARCHAR), 'TOTAL') AS hs_code, TRY_CAST(value_usd AS DOUBLE) AS v
      FROM read_parquet('{parquet}')) AS s
LEFT JOIN partner_kinds AS k ON k.code = s.partner_code
GROUP BY ALL;
CREATE TABLE violations AS SELECT
    count(*) FILTER (WHERE period IS NULL OR NOT regexp_matches(period, '^[0-9]{{4}}-(?:0[1-9]|1[0-2])$'))
        AS bad_period,
    count(*) FILTER (WHERE flow IS NULL OR flow NOT IN ('export', 'import')) AS bad_flow,
    sum(unknown_partner) AS unknown_partner, sum(no_value) AS no_value, sum(negative) AS negative,
    count(*) FILTER (WHERE max_country > world) AS country_above_world
FROM product_months;
"""
KEY_BATCH_SQL = """SELECT count(*) FROM (SELECT 1 FROM read_parquet('{parquet}')
WHERE period BETWEEN '{first}' AND '{last}'
GROUP BY period, partner_code, flow, hs_code HAVING count(*) > 1)"""
# argv: database, SQL before the key check (settings, checks), SQL after it (the floor), key-batch SQL ('' = none)
FLOOR_RUNNER = """import duckdb, sys
con = duckdb.connect(sys.argv[1])
con.execute(sys.argv[2])
if sys.argv[4]:
    found = con.execute("SELECT * FROM violations").fetchone()
    assert not any(found), f"the validated floor found violations: {found}"
    batches, rows = [[]], 0
    for period, n in con.execute("SELECT period, sum(n) FROM product_months GROUP BY 1 ORDER BY 1").fetchall():
        if batches[-1] and rows + n > 10_000_000:
            batches.append([])
            rows = 0
        batches[-1].append(period)
        rows += n
    duplicates = sum(con.execute(sys.argv[4].format(first=b[0], last=b[-1])).fetchone()[0] for b in batches)
    assert duplicates == 0, f"the validated floor found {duplicates} duplicate keys"
con.execute(sys.argv[3])
con.close()"""


@dataclass
class Run:
    """What one subprocess cost."""

    wall_s: float
    cpu_s: float
    max_rss_mb: float
    sum_rss_mb: float


def _tree_rss(root: int) -> int:
    """Bytes resident in process `root` and its descendants, from /proc/<pid>/stat (shared pages count
    once per process)."""
    parent, rss = {}, {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()  # the fields after the command name
        except OSError:  # the process has exited
            continue
        pid = int(stat.parent.name)
        parent[pid], rss[pid] = int(fields[1]), int(fields[21]) * PAGE_SIZE  # ppid, rss in pages

    def in_tree(pid: int) -> bool:
        while pid > 1 and pid != root:
            pid = parent.get(pid, 0)
        return pid == root

    return sum(size for pid, size in rss.items() if in_tree(pid))


def measure(cmd: list[str], env: dict[str, str], log: Path) -> Run:
    """Run `cmd` (output to `log`.out/.err); fail loudly, printing its stderr, unless it exits 0."""
    with log.with_suffix(".out").open("wb") as out, log.with_suffix(".err").open("wb") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, env=env, cwd=REPO_ROOT, stdout=out, stderr=err)
        peak, done = [0], threading.Event()

        def sample() -> None:
            while not done.wait(0.1):
                peak[0] = max(peak[0], _tree_rss(proc.pid))

        sampler = threading.Thread(target=sample)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        done.set()
        sampler.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        sys.stderr.write(log.with_suffix(".err").read_text(errors="replace"))
        raise SystemExit(
            f"{' '.join(cmd[:4])} … exited {proc.returncode}: stderr above "
            f"(--keep keeps {log.name}.out/.err and the warehouse in {log.parent})"
        )
    max_rss = usage.ru_maxrss * 1024 / MB  # KiB on Linux
    print(f"  {log.name:<12} {wall:6.1f} s", flush=True)  # one line per phase as it ends
    return Run(wall, usage.ru_utime + usage.ru_stime, max_rss, max(peak[0] / MB, max_rss))


def generate(path: Path, rows: int, seed: int, months: int, first_month: int = 0) -> Path:
    """bench/generate_kcs_feed.py in a subprocess (so this process stays small: children inherit the
    peak RSS of the process they are forked from)."""
    subprocess.run(
        [
            sys.executable,
            str(Path(__file__).with_name("generate_kcs_feed.py")),
            str(path),
            "--rows",
            str(rows),
            "--seed",
            str(seed),
            "--months",
            str(months),
            "--first-month",
            str(first_month),
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return path


def sample_dir(root: Path, rows: int, seed: int) -> tuple[Path, float]:
    """The synthetic feed plus copies of the other shipped feeds, laid out like data/sample; generation seconds."""
    start = time.perf_counter()
    generate(root / "kcs_monthly_partner" / "synthetic.parquet", rows, seed, HISTORY_MONTHS)
    seconds = time.perf_counter() - start
    for feed in OTHER_FEEDS:
        shutil.copytree(SAMPLE_DIR / feed, root / feed, ignore=INCONSISTENT_WITH_SYNTHETIC)
    return root, seconds


def bench(rows: int, seed: int, work: Path, spark: bool) -> dict[str, Run]:
    """Generate the feed for `rows` in `work`, then measure the floor and the three refreshes on it."""
    samples, gen_s = sample_dir(work / "sample", rows, seed)
    parquet = samples / "kcs_monthly_partner" / "synthetic.parquet"
    new_month = generate(
        work / "new_month" / "synthetic_2025_01.parquet",
        rows // HISTORY_MONTHS,
        seed,
        months=1,
        first_month=HISTORY_MONTHS,
    )
    print(
        f"\nN = {rows:,} rows ({parquet.stat().st_size / MB:.0f} MB parquet, generated in {gen_s:.1f} s); "
        f"new month: {rows // HISTORY_MONTHS:,} rows",
        flush=True,
    )
    env = {k: v for k, v in os.environ.items() if k != "DAGSTER_HOME"}  # ephemeral Dagster instance
    env |= {**TELEMETRY_OFF, "WAREHOUSE_DIR": str(work / "warehouse"), "WAREHOUSE_SAMPLE_DIR": str(samples)}
    settings, floor = SETTINGS_SQL.format(**duckdb_config()), FLOOR_SQL.format(parquet=parquet)
    floors = {  # argv of FLOOR_RUNNER after the database
        "floor": [settings, floor, ""],
        "validated floor": [
            settings + CHECKS_SQL.format(parquet=parquet, seeds=SEEDS_DIR),
            floor,
            KEY_BATCH_SQL.replace("{parquet}", str(parquet)),
        ],
    }
    runs = {}
    for name, argv in floors.items():
        log = work / name.replace(" ", "_")
        runs[name] = measure([sys.executable, "-c", FLOOR_RUNNER, str(log.with_suffix(".duckdb")), *argv], env, log)
    refresh = [sys.executable, "-m", "orchestration.cli", "refresh"]
    runs["full"] = measure(refresh, env, work / "full")
    landing = work / "warehouse" / "landing" / "kcs_monthly_partner"
    landing.mkdir(parents=True, exist_ok=True)
    shutil.copy(new_month, landing / new_month.name)
    runs["incremental"] = measure(refresh, env, work / "incremental")
    runs["no-op"] = measure(refresh, env, work / "noop")
    if spark:
        runs |= engine_runs(WarehousePaths(work / "warehouse", samples), env, work)
    print(f"{'':<16}{'wall s':>8}{'CPU s':>8}{'max RSS MB':>12}{'sum RSS MB':>12}{'/ floor':>10}{'/ validated':>13}")
    for name, run in runs.items():
        print(
            f"{name:<16}{run.wall_s:>8.1f}{run.cpu_s:>8.1f}{run.max_rss_mb:>12,.0f}{run.sum_rss_mb:>12,.0f}"
            f"{run.wall_s / runs['floor'].wall_s:>9.1f}x{run.wall_s / runs['validated floor'].wall_s:>12.2f}x"
        )
    full, validated = runs["full"], runs["validated floor"]
    if "dbt spark" in runs:
        duck, spark = runs["dbt duckdb"], runs["dbt spark"]
        print(
            f"dbt build on Spark / on DuckDB (same nodes, same raw rows): {spark.wall_s / duck.wall_s:.2f}x wall, "
            f"peak {spark.sum_rss_mb / 1024:.2f} GB vs {duck.sum_rss_mb / 1024:.2f} GB"
        )
    print(
        f"full / validated floor {full.wall_s / validated.wall_s:.2f}x wall, {full.cpu_s / validated.cpu_s:.2f}x "
        f"CPU; incremental / full {runs['incremental'].wall_s / full.wall_s:.2f}",
        flush=True,
    )
    return runs


def engine_runs(paths: WarehousePaths, env: dict[str, str], work: Path) -> dict[str, Run]:
    """The same dbt build on DuckDB and on Spark from the refreshed warehouse (skipped without Java/pyspark)."""
    try:
        preflight()
    except CheckFailed as missing:
        print(f"  spark lines skipped: {missing}")
        return {}
    dirs = SparkDirs.of(paths)
    export = [sys.executable, "-m", "orchestration.spark_check", "export"]
    runs = {"spark export": measure(export, env, work / "export")}
    for target, name in (("local", "dbt duckdb"), ("spark", "dbt spark")):
        command, dbt_env = dbt_build_command(paths, dirs, target)
        runs[name] = measure(command, env | dbt_env, work / name.replace(" ", "_"))
    return runs


SAMPLE_MONTH = "2026-08"  # the month after the shipped nine-partner file (trade_region_2021_08_2026_07.csv)
STEP = re.compile(r"^(\S+ \S+) \w+ refresh - \S+ - \d+ - (\w+) - STEP_SUCCESS - .* in ([\d.]+)(ms|s|m)\.?$")


def nine_partner_month(path: Path) -> Path:
    """The shipped nine-partner file's last month (2026-07) as the next one: plausible values, the format in use."""
    shipped = next((SAMPLE_DIR / "kcs_monthly_partner").glob("trade_region_*_2026_07.csv"))
    header, *rows = shipped.read_text(encoding="utf-8").splitlines()
    path.parent.mkdir(parents=True, exist_ok=True)
    month = [r.replace("2026-07,", f"{SAMPLE_MONTH},", 1) for r in rows if r.startswith("2026-07,")]
    path.write_text("\n".join([header, *month]) + "\n", encoding="utf-8")
    return path


def steps(log: Path) -> tuple[dict[str, float], datetime | None]:
    """Seconds per step of the run in `log` (a refresh's last_refresh.log), and when the publication ended."""
    seconds, published = {}, None
    for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
        if found := STEP.match(line):
            at, step, value, unit = found.groups()
            seconds[step] = float(value) * {"ms": 0.001, "s": 1, "m": 60}[unit]
            if step == "publish__serving_duckdb":
                published = datetime.strptime(at, "%Y-%m-%d %H:%M:%S,%f")
    return seconds, published


def sample_month(work: Path) -> dict[str, float]:
    """The shipped sample refreshed in full, then one new month of nine partners, then nothing new: seconds."""
    work.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k not in ("DAGSTER_HOME", "WAREHOUSE_SAMPLE_DIR")}
    env |= {**TELEMETRY_OFF, "WAREHOUSE_DIR": str(work / "warehouse")}
    refresh = [sys.executable, "-m", "orchestration.cli", "refresh"]
    print("\nshipped sample data: a full refresh, one new month of nine partners (2026-08), a no-op", flush=True)
    full = measure(refresh, env, work / "sample_full")
    nine_partner_month(work / "warehouse" / "landing" / "kcs_monthly_partner" / "trade_region_2026_08.csv")
    started = datetime.now()
    month = measure(refresh, env, work / "sample_month")
    by_step, published = steps(work / "warehouse" / "last_refresh.log")
    noop = measure(refresh, env, work / "sample_noop")
    groups = {"raw": 0.0, "dbt_models": 0.0, "publish": 0.0, "reports": 0.0}
    for step, seconds in by_step.items():
        groups[next((g for g in groups if step.startswith(g)), step)] += seconds
    fixed = month.wall_s - sum(groups.values())
    to_publication = (published - started).total_seconds() if published else float("nan")
    print(
        f"  new month, by step: {', '.join(f'{g} {s:.1f} s' for g, s in groups.items())}, "
        f"start-up and Dagster between steps {fixed:.1f} s; published {to_publication:.1f} s after the start"
    )
    return {"full": full.wall_s, "month": month.wall_s, "published": to_publication, "noop": noop.wall_s}


def peak_rss_gb(runs: dict[str, Run]) -> float:
    return max(runs[k].sum_rss_mb for k in ("full", "incremental", "no-op")) / 1024


def targets(by_rows: dict[int, dict[str, Run]], sample: dict[str, float]) -> list[str]:
    """The issue's targets (2 cores, 24 GiB) against these runs: each N, the largest against the smallest, and
    the shipped sample's new month."""
    checks = [
        (f"sample: a new month of nine partners published in {sample['published']:.1f} s <= 10 s",
         sample["published"] <= 10),
        (f"sample: the whole refresh of that month (charts included) {sample['month']:.1f} s <= 10 s",
         sample["month"] <= 10),
        (f"sample: no-op {sample['noop']:.2f} s <= 1 s", sample["noop"] <= 1),
    ]  # fmt: skip
    for rows, runs in sorted(by_rows.items()):
        full, incremental, noop = (runs[k] for k in ("full", "incremental", "no-op"))
        validated, share = runs["validated floor"].wall_s, incremental.wall_s / full.wall_s
        checks += [
            (f"{rows:,}: full {full.wall_s:.1f} s <= 2.5 x validated floor = {2.5 * validated:.1f} s",
             full.wall_s <= 2.5 * validated),
            (f"{rows:,}: incremental {incremental.wall_s:.1f} s <= 0.15 x full = {0.15 * full.wall_s:.1f} s",
             share <= 0.15),
            (f"{rows:,}: no-op {noop.wall_s:.2f} s <= 1.5 s", noop.wall_s <= 1.5),
            (f"{rows:,}: peak RSS {peak_rss_gb(runs):.2f} GB <= 3 GB", peak_rss_gb(runs) <= 3),
        ]  # fmt: skip
    smallest, largest = by_rows[min(by_rows)], by_rows[max(by_rows)]
    if len(by_rows) > 1:
        small, large = smallest["incremental"].wall_s, largest["incremental"].wall_s
        checks.append(
            (f"incremental at {max(by_rows):,} ({large:.1f} s) within 20 % of {min(by_rows):,} ({small:.1f} s)",
             abs(large - small) <= 0.2 * small)
        )  # fmt: skip
    return [f"  {'met ' if ok else 'MISSED'}  {text}" for text, ok in checks]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[10_000_000, 50_000_000])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--keep", action="store_true", help="keep the temp directories (printed)")
    parser.add_argument("--spark-rows", type=int, default=10_000_000, help="N at which Spark is measured too")
    args = parser.parse_args(argv)
    base, by_rows = Path(tempfile.mkdtemp(prefix="kcs-refresh-bench-")), {}
    try:
        sample = sample_month(base / "sample")
        for rows in sorted(args.rows):
            by_rows[rows] = bench(rows, args.seed, base / str(rows), spark=rows == args.spark_rows)
            if not args.keep:
                shutil.rmtree(base / str(rows))
    finally:
        if args.keep:
            print(f"kept {base}")
        else:
            shutil.rmtree(base, ignore_errors=True)
    print("\ntargets:", *targets(by_rows, sample), sep="\n")
    rows, runs = max(by_rows.items())
    full = runs["full"]
    print(
        f"rows={rows} full_over_validated_floor={full.wall_s / runs['validated floor'].wall_s:.2f} "
        f"incremental_over_full={runs['incremental'].wall_s / full.wall_s:.2f} "
        f"noop_s={runs['no-op'].wall_s:.2f} peak_rss_gb={peak_rss_gb(runs):.2f} "
        f"sample_month_published_s={sample['published']:.1f} sample_month_s={sample['month']:.1f}"
    )
    spark = next((r for r in by_rows.values() if "dbt spark" in r), None)
    if spark:
        print(f"spark_over_duckdb={spark['dbt spark'].wall_s / spark['dbt duckdb'].wall_s:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
