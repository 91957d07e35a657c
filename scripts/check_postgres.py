"""`make check-postgres`: the Dagster instance on PostgreSQL (deploy/dagster.postgres.yaml), end to end.

1. Finds PostgreSQL's server binaries (Debian package `postgresql`: /usr/lib/postgresql/<version>/bin).
2. Starts a throw-away server: initdb of a temporary data directory (as user `postgres` when run as root),
   a free port on 127.0.0.1, password login, database `dagster`.
3. A temporary WAREHOUSE_DIR and DAGSTER_HOME whose dagster.yaml is deploy/dagster.postgres.yaml, pointed at
   that server through DAGSTER_POSTGRES_URL.
4. Drops two landing files (test fixtures the gates accept, one per feed) and starts `dagster-daemon run`: the
   landing sensor requests one run per file in the same tick, the queued run coordinator launches them.
5. Checks in PostgreSQL itself (SQL on Dagster's tables): both runs are there and succeeded, the second
   started only after the first ended although it was queued before, and both runs' asset materializations
   are in the event log. Prints one line per check and the runs' timeline.

The daemon and the server are stopped and the temporary directories removed whatever happens. Exit 0: every
check passed; 1: a check failed (one line says which); 2: PostgreSQL is not installed.
"""

import contextlib
import glob
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
INSTANCE_YAML = REPO / "deploy" / "dagster.postgres.yaml"
FIXTURES = REPO / "tests" / "fixtures"
# (feed, file): formats the gates accept, as tests/test_gates.py::test_accepted_landing_formats_are_published shows
DROPS = (
    ("kcs_monthly_partner", FIXTURES / "kcs" / "nationtrade_2024_12.xml"),
    ("firm_size_exports", FIXTURES / "oecd" / "oecd_tec_kor_2021.csv"),
)
TIMEOUT_S = float(os.environ.get("CHECK_POSTGRES_TIMEOUT", "900"))
PROGRESS_EVERY_S = 15
TERMINAL = {"SUCCESS", "FAILURE", "CANCELED"}
SERVER_USER = "postgres"  # Debian's postgres account: initdb refuses to run as root


class CheckFailed(Exception):
    """An expected failure: one line, no traceback."""


@dataclass(frozen=True)
class Run:
    """One run as PostgreSQL holds it (`runs`, `run_tags`, `event_logs`); times are epoch seconds (UTC)."""

    run_id: str
    status: str
    landing_file: str | None
    queued: float | None
    started: float | None
    ended: float | None
    materializations: int
    assets: int


# --- pure parts (unit-tested in tests/test_deploy.py) ---------------------------------------------------------


def server_bin_dir(candidates: Sequence[str]) -> Path | None:
    """The bin directory of the newest PostgreSQL among `candidates` (…/postgresql/<version>/bin) with initdb and
    pg_ctl in it."""
    usable = [Path(c) for c in candidates if (Path(c) / "initdb").exists() and (Path(c) / "pg_ctl").exists()]
    version = lambda p: [int(x) for x in re.findall(r"\d+", p.parent.name)] or [0]  # noqa: E731
    return max(usable, key=version, default=None)


def overlapping(intervals: Sequence[tuple[str, float, float]]) -> list[tuple[str, str]]:
    """Pairs of (name, start, end) intervals that overlap in time; touching ends do not overlap."""
    ordered = sorted(intervals, key=lambda i: i[1])
    return [
        (a[0], b[0])
        for n, a in enumerate(ordered)
        for b in ordered[n + 1 :]
        if b[1] < a[2]  # b starts before a ended
    ]


def check_runs(runs: Sequence[Run], expected_files: set[str]) -> list[str]:
    """The checks on the runs read from PostgreSQL: one line each, or CheckFailed naming the first that fails."""
    sensor_runs = [r for r in runs if r.landing_file is not None]
    found = {r.landing_file for r in sensor_runs}
    if len(sensor_runs) != len(expected_files) or found != expected_files:
        raise CheckFailed(f"runs table: expected one run per file {sorted(expected_files)}, found {sorted(found)}")
    lines = [f"runs table holds the sensor's {len(sensor_runs)} runs, tagged landing_file = {', '.join(sorted(found))}"]

    failed = [f"{r.run_id[:8]} {r.status}" for r in sensor_runs if r.status != "SUCCESS"]
    if failed:
        raise CheckFailed(f"not every run succeeded: {', '.join(failed)}")
    lines.append("every run has status SUCCESS in the runs table")

    missing = [r.run_id[:8] for r in runs if r.started is None or r.ended is None]
    if missing:
        raise CheckFailed(f"no run start or end event in event_logs for run(s) {', '.join(missing)}")
    pairs = overlapping([(r.run_id[:8], r.started, r.ended) for r in runs])
    if pairs:
        raise CheckFailed("runs overlapped in time: " + ", ".join(f"{a} and {b}" for a, b in pairs))
    first, second = sorted(sensor_runs, key=lambda r: r.started)[:2]
    lines.append(
        f"one after the other (RUN_START/RUN_SUCCESS in event_logs): {second.run_id[:8]} started "
        f"{second.started - first.ended:.1f} s after {first.run_id[:8]} ended"
    )

    if second.queued is None or second.queued >= first.ended:
        raise CheckFailed(
            f"{second.run_id[:8]} was enqueued after {first.run_id[:8]} ended: the queue never had to hold a run"
        )
    lines.append(
        f"the queue held {second.run_id[:8]}: enqueued {first.ended - second.queued:.1f} s before "
        f"{first.run_id[:8]} ended, launched after (RUN_ENQUEUED in event_logs, max_concurrent_runs 1)"
    )

    empty = [r.run_id[:8] for r in sensor_runs if r.materializations == 0]
    if empty:
        raise CheckFailed(f"no ASSET_MATERIALIZATION event in event_logs for run(s) {', '.join(empty)}")
    counts = ", ".join(f"{r.run_id[:8]}: {r.materializations} ({r.assets} assets)" for r in sensor_runs)
    lines.append(f"ASSET_MATERIALIZATION events in event_logs per run: {counts}")
    return lines


def _clock(ts: float | None) -> str:
    return datetime.fromtimestamp(ts, UTC).strftime("%H:%M:%S.%f")[:-5] if ts is not None else "-"


def timeline(runs: Sequence[Run]) -> str:
    """The runs as a table, in the order they started (times UTC)."""
    header = ("run", "landing_file", "queued", "started", "ended", "waited", "ran", "materializations", "status")
    rows = [header]
    for r in sorted(runs, key=lambda r: (r.started or float("inf"), r.queued or 0)):
        waited = f"{r.started - r.queued:.1f} s" if r.started and r.queued else "-"
        ran = f"{r.ended - r.started:.1f} s" if r.started and r.ended else "-"
        rows.append(
            (r.run_id[:8], r.landing_file or "-", _clock(r.queued), _clock(r.started), _clock(r.ended), waited, ran)
            + (str(r.materializations), r.status)
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    return "\n".join("  " + "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) for row in rows)


# --- PostgreSQL ---------------------------------------------------------------------------------------------


def find_server_bin() -> Path:
    found = server_bin_dir(sorted(glob.glob("/usr/lib/postgresql/*/bin")))
    if found is None:
        on_path = shutil.which("pg_ctl")
        found = server_bin_dir([str(Path(on_path).parent)]) if on_path else None
    if found is None:
        print("PostgreSQL server not found (initdb, pg_ctl): install the Debian package: apt-get install postgresql")
        sys.exit(2)
    return found


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_server_user(cmd: list[str]) -> list[str]:
    return ["runuser", "-u", SERVER_USER, "--", *cmd] if os.geteuid() == 0 else cmd


def _run(cmd: list[str], what: str) -> None:
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()
        raise CheckFailed(f"{what} failed: {detail[-1] if detail else f'exit {result.returncode}'}")


@contextmanager
def postgres_server(bin_dir: Path) -> Iterator[str]:
    """A PostgreSQL server of its own on a free port; yields the URL of database `dagster`. Stopped and its data
    directory removed on exit, whatever happened."""
    import psycopg2

    root = Path(tempfile.mkdtemp(prefix="check-postgres-pg-"))
    data, password, port = root / "data", os.urandom(12).hex(), free_port()
    try:
        (root / "pwfile").write_text(password + "\n")
        if os.geteuid() == 0:
            import pwd

            user = pwd.getpwnam(SERVER_USER)
            for path in (root, root / "pwfile"):
                os.chown(path, user.pw_uid, user.pw_gid)
        initdb = [str(bin_dir / "initdb"), "-D", str(data), "-U", "dagster", "--pwfile", str(root / "pwfile")]
        _run(_as_server_user([*initdb, "-E", "UTF8", "--no-locale", "--auth=scram-sha-256"]), "initdb")
        # fsync off: a throw-away server, nothing to keep after a crash
        options = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off"
        start = [str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(root / "server.log"), "-o", options, "-w"]
        _run(_as_server_user([*start, "-t", "60", "start"]), "pg_ctl start")
        try:
            try:
                con = psycopg2.connect(f"postgresql://dagster:{password}@127.0.0.1:{port}/postgres")
                con.autocommit = True  # CREATE DATABASE cannot run in a transaction
                with con.cursor() as cur:
                    cur.execute("CREATE DATABASE dagster")
                    cur.execute("SELECT version()")
                    print(f"PostgreSQL: {cur.fetchone()[0].split(' on ')[0]} on 127.0.0.1:{port}, database dagster")
                con.close()
            except psycopg2.Error as exc:
                raise CheckFailed(f"creating database dagster failed: {str(exc).strip().splitlines()[0]}") from None
            yield f"postgresql://dagster:{password}@127.0.0.1:{port}/dagster"
        finally:
            stop = [str(bin_dir / "pg_ctl"), "-D", str(data), "-w", "-t", "30", "-m", "fast", "stop"]
            if subprocess.run(_as_server_user(stop), capture_output=True).returncode != 0:
                subprocess.run(_as_server_user([*stop[:-3], "immediate", "stop"]), capture_output=True)
            print("PostgreSQL stopped")
    finally:
        shutil.rmtree(root, ignore_errors=True)


def read_runs(url: str) -> list[Run]:
    """Every run of the instance, from Dagster's tables in PostgreSQL (empty before Dagster created them)."""
    import psycopg2
    from dagster import DagsterEventType as E

    # run events are stored under their old names: RUN_START is PIPELINE_START, and so on
    names = {
        "enqueued": E.RUN_ENQUEUED.value,
        "start": E.RUN_START.value,
        "ends": (E.RUN_SUCCESS.value, E.RUN_FAILURE.value, E.RUN_CANCELED.value),
        "materialization": E.ASSET_MATERIALIZATION.value,
    }
    with psycopg2.connect(url) as con, con.cursor() as cur:
        cur.execute("SELECT to_regclass('runs') IS NOT NULL AND to_regclass('event_logs') IS NOT NULL")
        if not cur.fetchone()[0]:
            return []
        cur.execute(
            """
            SELECT r.run_id, r.status, t.value,
                   extract(epoch FROM min(e.timestamp) FILTER (WHERE e.dagster_event_type = %(enqueued)s)),
                   extract(epoch FROM min(e.timestamp) FILTER (WHERE e.dagster_event_type = %(start)s)),
                   extract(epoch FROM min(e.timestamp) FILTER (WHERE e.dagster_event_type IN %(ends)s)),
                   count(e.id) FILTER (WHERE e.dagster_event_type = %(materialization)s),
                   count(DISTINCT e.asset_key) FILTER (WHERE e.dagster_event_type = %(materialization)s)
            FROM runs r
            LEFT JOIN run_tags t ON t.run_id = r.run_id AND t.key = 'landing_file'
            LEFT JOIN event_logs e ON e.run_id = r.run_id
            GROUP BY r.id, r.run_id, r.status, t.value
            ORDER BY r.id""",
            names,
        )
        rows = cur.fetchall()
    con.close()
    seconds = lambda x: float(x) if x is not None else None  # noqa: E731  (numeric from extract(epoch …))
    return [Run(rid, status, tag, *map(seconds, times), n, k) for rid, status, tag, *times, n, k in rows]


def _error_text(event: dict) -> str:
    """The innermost error message of a failure event (serialized EventLogEntry), else its user message."""
    data = (event.get("dagster_event") or {}).get("event_specific_data") or {}
    error, message = data.get("error"), str(event.get("user_message", ""))
    while error:
        message = str(error.get("message", message)).strip()
        error = error.get("cause")
    return message.splitlines()[-1][:300] if message else "(no message)"


def failure_lines(url: str, run_id: str) -> list[str]:
    """The step and run failure messages of a run, from event_logs."""
    import psycopg2

    with psycopg2.connect(url) as con, con.cursor() as cur:
        cur.execute(
            "SELECT step_key, event FROM event_logs WHERE run_id = %s"
            " AND dagster_event_type IN ('STEP_FAILURE', 'PIPELINE_FAILURE') ORDER BY id",
            (run_id,),
        )
        rows = cur.fetchall()
    con.close()
    return [f"{step or 'run'}: {_error_text(json.loads(event))}" for step, event in rows]


# --- Dagster ------------------------------------------------------------------------------------------------


@contextmanager
def dagster_daemon(env: dict[str, str], log: Path) -> Iterator[subprocess.Popen]:
    """`dagster-daemon run -w workspace.yaml` in a process group of its own (it starts the code server, which
    starts the runs); the whole group is stopped on exit."""
    daemon = Path(sys.executable).parent / "dagster-daemon"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(daemon), "run", "-w", str(REPO / "workspace.yaml")],
            cwd=REPO,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            yield process
        finally:
            for sig, wait in ((signal.SIGTERM, 30), (signal.SIGKILL, 10)):
                try:
                    os.killpg(process.pid, sig)
                    process.wait(timeout=wait)
                    break
                except ProcessLookupError:
                    break
                except subprocess.TimeoutExpired:
                    continue
            with contextlib.suppress(ProcessLookupError):  # what outlived the daemon in its group (the code server)
                os.killpg(process.pid, signal.SIGKILL)
            print("dagster-daemon stopped")


def wait_for_runs(url: str, daemon: subprocess.Popen, expected: int) -> list[Run]:
    """Poll PostgreSQL until the sensor's `expected` runs have ended (CheckFailed on timeout or a dead daemon)."""
    import psycopg2

    start = last_print = time.monotonic()
    while True:
        try:
            runs = read_runs(url)
        except psycopg2.Error:  # Dagster creating its tables right now
            runs = []
        sensor_runs = [r for r in runs if r.landing_file is not None]
        elapsed = time.monotonic() - start
        if len(sensor_runs) >= expected and all(r.status in TERMINAL for r in runs):
            print(f"  {elapsed:4.0f} s: {len(sensor_runs)} runs ended: {', '.join(r.status for r in sensor_runs)}")
            return runs
        if daemon.poll() is not None:
            raise CheckFailed(f"dagster-daemon exited with code {daemon.returncode} after {elapsed:.0f} s")
        if elapsed > TIMEOUT_S:
            states = ", ".join(f"{r.run_id[:8]} {r.status}" for r in runs) or "none"
            raise CheckFailed(f"timed out after {TIMEOUT_S:.0f} s waiting for {expected} runs to end (runs: {states})")
        if time.monotonic() - last_print >= PROGRESS_EVERY_S:
            states = ", ".join(r.status for r in sensor_runs) or "no run requested yet"
            print(f"  {elapsed:4.0f} s: {states}")
            last_print = time.monotonic()
        time.sleep(2)


def check(bin_dir: Path, tmp: Path) -> list[Run]:
    warehouse, home = tmp / "warehouse", tmp / "dagster_home"
    home.mkdir()
    shutil.copy(INSTANCE_YAML, home / "dagster.yaml")
    expected = set()
    for feed, source in DROPS:
        (warehouse / "landing" / feed).mkdir(parents=True, exist_ok=True)
        shutil.copy(source, warehouse / "landing" / feed / source.name)
        expected.add(f"{feed}/{source.name}")
    with postgres_server(bin_dir) as url:
        env = {
            **os.environ,
            "WAREHOUSE_DIR": str(warehouse),
            "DAGSTER_HOME": str(home),
            "DAGSTER_POSTGRES_URL": url,
            "DAGSTER_STORAGE_DIR": str(warehouse / "dagster_storage"),
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
            "DO_NOT_TRACK": "1",
            "GX_ANALYTICS_ENABLED": "false",
        }
        print(f"instance: {INSTANCE_YAML.relative_to(REPO)} as $DAGSTER_HOME/dagster.yaml, DAGSTER_POSTGRES_URL")
        print(f"landing files: {', '.join(sorted(expected))}")
        log = tmp / "daemon.log"
        with dagster_daemon(env, log) as daemon:
            print("dagster-daemon started; waiting for the landing sensor's runs (first refresh builds everything)")
            try:
                runs = wait_for_runs(url, daemon, len(expected))
            except CheckFailed:
                print_tail(log)  # as it was when waiting failed, before the daemon's shutdown messages
                raise
        for r in runs:
            if r.status != "SUCCESS":
                for line in failure_lines(url, r.run_id):
                    print(f"  {r.run_id[:8]}: {line}")
        print("checks (SQL on the runs, run_tags and event_logs tables in PostgreSQL):")
        try:
            for n, line in enumerate(check_runs(runs, expected), 1):
                print(f"  ok {n}: {line}")
        except CheckFailed:
            print_tail(log)
            raise
    return runs


def print_tail(log: Path, lines: int = 40) -> None:
    print(f"--- dagster-daemon log (last {lines} lines of {log.name}, each cut at 300 characters) ---")
    print("\n".join(line[:300] for line in log.read_text(errors="replace").splitlines()[-lines:]))
    print("---")


def main() -> int:
    started = time.monotonic()
    bin_dir = find_server_bin()
    tmp = Path(tempfile.mkdtemp(prefix="check-postgres-"))
    try:
        runs = check(bin_dir, tmp)
    except CheckFailed as failure:
        print(f"check-postgres FAILED: {failure}")
        return 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("timeline (from PostgreSQL; UTC):")
    print(timeline(runs))
    print(f"check-postgres passed in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
