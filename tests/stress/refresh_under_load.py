"""Refreshes under real use: BI readers in other processes, SIGKILLs at random points, reruns.

    .venv/bin/python -m tests.stress.refresh_under_load [--refreshes 6] [--readers 4] [--kills 5] [--seed 0]

1. One refresh publishes serving.duckdb. Then `--refreshes` refreshes run back to back (a small landing
   file is added and removed between them, so publications differ) while `--readers` reader processes
   (half open-query-close, half holding one connection for the whole run) read the marts continuously, until
   the end of the run (kills included).
   Every read checks the marts against the checksums of the publication it sees (one consistent snapshot).
2. `--kills` refreshes are SIGKILLed (whole process group, dbt included) at random moments spread over the
   run (early kills land in ingest, later ones in dbt and publish); after each,
   serving.duckdb must open and be one complete publication, and the next refresh must succeed unaided.
3. The first inputs again (the extra file taken away) must give the first publication's mart checksums.
Prints the figures; exits 1 if any property fails. `make stress` runs it; tests/test_operations.py runs a small
version from a copy of the test session's published warehouse (one refresh under two readers, one kill, its
recovery).
"""

import argparse
import json
import multiprocessing as mp
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from orchestration.serving import mart_checksum
from orchestration.settings import TELEMETRY_OFF

REPO = Path(__file__).resolve().parents[2]
# a month after the sample's world series (2026-07) with plausible values: the gates reject impossible ones
HEADER = "period,partner_code,flow,value_usd\n"
EXTRA = HEADER + "2026-{month:02d},WLD,export,65000000000\n2026-{month:02d},USA,export,{us}\n"


def publication(serving: Path, con: duckdb.DuckDBPyConnection | None = None) -> tuple[str, dict]:
    """(publication id, checksums) of what `con` (or a new read-only connection) sees, verified: every
    mart's content must match the checksum its publication recorded."""
    own = con is None
    con = con or duckdb.connect(str(serving), read_only=True)
    try:
        pub_id, checksums = con.execute("SELECT publication_id, checksums FROM marts._publication").fetchone()
        checksums = json.loads(checksums)
        actual = {name: mart_checksum(con, name) for name in checksums}
        if actual != checksums:
            raise AssertionError(f"publication {pub_id}: content does not match its checksums")
        return pub_id, checksums
    finally:
        if own:
            con.close()


def reader(serving: str, long_held: bool, stop, results, pause: float) -> None:
    """Read and verify the marts until `stop` is set; report (reads, lock errors, inconsistent, other)."""
    reads = locks = inconsistent = other = 0
    held = duckdb.connect(serving, read_only=True) if long_held else None
    while not stop.is_set():
        try:
            publication(Path(serving), held)
            reads += 1
        except duckdb.IOException as exc:
            locks += "lock" in str(exc).lower()
            other += "lock" not in str(exc).lower()
        except AssertionError:
            inconsistent += 1
        except Exception:  # noqa: BLE001 - counted and reported, a reader must keep going
            other += 1
        time.sleep(pause)
    if held:
        held.close()
    results.put((reads, locks, inconsistent, other))


@dataclass
class Report:
    refreshes: int = 0
    refresh_failures: int = 0
    reads: int = 0
    lock_errors: int = 0
    inconsistent_reads: int = 0
    other_read_errors: int = 0
    kills: int = 0
    bad_after_kill: int = 0
    recoveries_failed: int = 0
    publications: set = field(default_factory=set)
    idempotent: bool = False
    checksums_before_after: tuple = ()

    @property
    def ok(self) -> bool:
        return (
            self.refresh_failures
            == self.lock_errors
            == self.inconsistent_reads
            == self.other_read_errors
            == self.bad_after_kill
            == self.recoveries_failed
            == 0
        ) and self.idempotent


def refresh_command(warehouse: Path) -> tuple[list[str], dict]:
    env = {k: v for k, v in os.environ.items() if k != "DAGSTER_HOME"}
    env |= {"WAREHOUSE_DIR": str(warehouse), **TELEMETRY_OFF}
    return [sys.executable, "-m", "orchestration.cli", "refresh"], env


def refresh(warehouse: Path) -> bool:
    cmd, env = refresh_command(warehouse)
    return subprocess.run(cmd, env=env, cwd=REPO, capture_output=True).returncode == 0


def toggle_extra_file(warehouse: Path, i: int) -> None:
    """Vary the inputs between refreshes: add a valid extra month, or take it away again."""
    path = warehouse / "landing" / "kcs_monthly_partner" / "extra.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    if i % 2:
        path.unlink(missing_ok=True)
    else:
        path.write_text(EXTRA.format(month=10 + i % 2, us=13_000_000_000 + i))  # after the sample (2026-09)


def run(
    warehouse: Path,
    refreshes: int,
    readers: int,
    kills: int,
    seed: int,
    log=print,
    start_from: Path | None = None,
    pause: float = 0.01,
) -> Report:
    """The run described above; with `start_from` (a published warehouse directory), its warehouse and serving
    files are copied in place of the first refresh. Each reader waits `pause` seconds between its reads."""
    report, rng = Report(), random.Random(seed)
    serving = warehouse / "serving.duckdb"
    started = time.perf_counter()
    if start_from:
        warehouse.mkdir(parents=True, exist_ok=True)
        for name in ("warehouse.duckdb", "serving.duckdb"):
            shutil.copy2(start_from / name, warehouse / name)
    elif not refresh(warehouse):
        raise SystemExit("the first refresh failed: nothing to read")
    one_refresh_s = time.perf_counter() - started
    first = publication(serving)
    report.publications.add(first[0])

    stop, results = mp.Event(), mp.Queue()
    procs = [mp.Process(target=reader, args=(str(serving), i % 2 == 1, stop, results, pause)) for i in range(readers)]
    for p in procs:
        p.start()
    for i in range(refreshes):
        toggle_extra_file(warehouse, i)
        report.refreshes += 1
        started = time.perf_counter()
        report.refresh_failures += not refresh(warehouse)
        one_refresh_s = one_refresh_s if i or not start_from else time.perf_counter() - started
        report.publications.add(publication(serving)[0])
        log(f"refresh {i + 1}/{refreshes}: publications seen {len(report.publications)}")

    cmd, env = refresh_command(warehouse)
    for k in range(kills):
        toggle_extra_file(warehouse, refreshes + k)  # a change: a refresh with nothing to do ends too soon
        proc = subprocess.Popen(
            cmd, env=env, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
        )
        delay = one_refresh_s * (k + rng.random()) / kills  # stratified: ingest, dbt and publish all get hit
        time.sleep(delay)
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            report.kills += 1
        proc.wait()
        try:
            report.publications.add(publication(serving)[0])
        except Exception as exc:  # noqa: BLE001 - a broken serving file is exactly what we count
            report.bad_after_kill += 1
            log(f"kill {k + 1}: serving.duckdb is not one complete publication: {exc}")
        recovered = refresh(warehouse)
        report.recoveries_failed += not recovered
        report.publications.add(publication(serving)[0])
        log(f"kill {k + 1}/{kills} after {delay:.1f} s: next refresh {'recovered' if recovered else 'FAILED'}")

    extra = warehouse / "landing" / "kcs_monthly_partner" / "extra.csv"
    if extra.exists():  # the first inputs again (after an odd number of toggles they already are)
        extra.unlink()
        report.refresh_failures += not refresh(warehouse)
    stop.set()
    for _ in procs:
        reads, locks, inconsistent, other = results.get()
        report.reads += reads
        report.lock_errors += locks
        report.inconsistent_reads += inconsistent
        report.other_read_errors += other
    for p in procs:
        p.join()
    last, after = publication(serving)
    report.publications.add(last)
    report.idempotent = first[1] == after
    report.checksums_before_after = (first[1]["destination_share"], after["destination_share"])
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--refreshes", type=int, default=6)
    parser.add_argument("--readers", type=int, default=4)
    parser.add_argument("--kills", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="kew-stress-") as tmp:
        r = run(Path(tmp), args.refreshes, args.readers, args.kills, args.seed)
    print(
        f"refreshes={r.refreshes} refresh_failures={r.refresh_failures} readers={args.readers} reads={r.reads} "
        f"lock_errors={r.lock_errors} inconsistent_reads={r.inconsistent_reads} "
        f"other_read_errors={r.other_read_errors} kills={r.kills} bad_after_kill={r.bad_after_kill} "
        f"recoveries_failed={r.recoveries_failed} publications={len(r.publications)} "
        f"idempotent={r.idempotent} destination_share_checksums={r.checksums_before_after}"
    )
    return 0 if r.ok else 1


if __name__ == "__main__":
    sys.exit(main())
