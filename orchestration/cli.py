"""Headless refresh: `python -m orchestration.cli refresh` (what `make run` calls).

Runs the `refresh` job in this process on the shipped samples plus any landing files, prints
a summary, and exits 1 if any gate failed (serving.duckdb is then left as it was). Only new or
changed files are read and only the months they touch are recomputed; `refresh --full` reads and
validates every file again and rebuilds every model.
"""

import argparse
import contextlib
import json
import os
import sys
from datetime import UTC, datetime

import dagster as dg

from orchestration.database import connect
from orchestration.defs.resources import WarehouseResource

MESSAGE_LINES = 12  # per failure on the terminal; the whole text is in last_refresh.log


def run_refresh(warehouse: WarehouseResource, instance: dg.DagsterInstance | None = None) -> dg.ExecuteInProcessResult:
    """Execute the refresh job in-process (persisted to $DAGSTER_HOME when set)."""
    from orchestration.definitions import build_defs

    job = build_defs(warehouse).resolve_job_def("refresh")
    instance = instance or (
        dg.DagsterInstance.get() if os.environ.get("DAGSTER_HOME") else dg.DagsterInstance.ephemeral()
    )
    quiet = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}
    return job.execute_in_process(run_config=quiet, instance=instance, raise_on_error=False)


def request_full_refresh(warehouse: WarehouseResource) -> None:
    """Make the next refresh read and validate every file again and rebuild all models (`--full-refresh`)."""
    from orchestration import ledger
    from orchestration.loading import forget_all_files

    with warehouse.connect() as con:
        forget_all_files(con)
        ledger.request_full_rebuild(con, datetime.now(UTC).replace(tzinfo=None))


def fetch(source: str, config: dict, warehouse: WarehouseResource) -> list[str]:
    """Run one live connector (the only command that goes online); returns the files waiting in landing."""
    from orchestration.defs.connectors import CONNECTOR_ASSETS

    assets = {a.key.path[-1]: a for a in CONNECTOR_ASSETS}
    if source not in assets:
        raise SystemExit(f"unknown source {source!r}: one of {sorted(assets)}")
    asset = assets[source]
    result = dg.materialize(
        [asset],
        resources={"warehouse": warehouse},
        raise_on_error=False,
        run_config={"ops": {asset.op.name: {"config": config}}},
    )
    if not result.success:
        raise SystemExit("FETCH FAILED:\n" + "\n".join(failure_messages(result)))
    return [str(p) for p in sorted(warehouse.paths().landing.glob("*/*")) if p.is_file()]


def _root_cause(error) -> str:
    while error.cause is not None:
        error = error.cause
    return error.message.strip()


def failure_messages(result: dg.ExecuteInProcessResult) -> list[str]:
    """Failed checks and failed steps of a run, one line each (file, rule and rows for raw feeds)."""
    checks = [
        f"check {e.asset_key.to_user_string()} / {e.check_name} failed"
        for e in result.get_asset_check_evaluations()
        if not e.passed
    ]
    steps = [
        f"{e.step_key}: {_root_cause(e.step_failure_data.error)}"
        for e in result.all_events
        if e.event_type == dg.DagsterEventType.STEP_FAILURE
    ]
    return checks + steps


def summary(warehouse: WarehouseResource) -> str:
    """Rows per served mart and the latest US/China shares, read from serving.duckdb (read-only)."""
    from orchestration.serving import latest_us_china_shares

    path = warehouse.paths().serving_db
    with connect(path, read_only=True) as con:
        tables = con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'marts' "
            "AND table_name NOT LIKE '\\_%' ESCAPE '\\' ORDER BY 1"
        ).fetchall()
        lines = [f"serving file: {path}  (open read-only; schema `marts`)"]
        lines += [
            f"  marts.{t}: {con.execute(f'SELECT count(*) FROM marts.{t}').fetchone()[0]:,} rows" for (t,) in tables
        ]
        lines.append("latest shares of Korea's exports (customs basis):")
        lines += [
            f"  {freq:<7} {start:%Y-%m-%d}  {code}: {share * 100:.1f}%"
            for freq, start, code, share in latest_us_china_shares(con)
        ]
        publication = con.execute("SELECT publication_id, published_at FROM marts._publication").fetchone()
        lines.append(f"publication {publication[0]} at {publication[1]:%Y-%m-%d %H:%M:%S} UTC")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m orchestration.cli")
    parser.add_argument("command", choices=["refresh", "summary", "fetch"])
    parser.add_argument("source", nargs="?", help="with fetch: kcs_openapi, comtrade or imf")
    parser.add_argument("--config", default="{}", help="with fetch: the connector's config as JSON")
    parser.add_argument("--full", action="store_true", help="with refresh: every file and model again")
    args = parser.parse_args(argv)
    warehouse = WarehouseResource.from_env()
    warehouse.paths().ensure()
    if args.command == "fetch":
        for path in fetch(args.source, json.loads(args.config), warehouse):
            print(f"waiting in landing: {path}")
        print("run `make run` (or let the sensor start a refresh) to load them through the gates")
        return 0
    if args.command == "refresh":
        if args.full:
            request_full_refresh(warehouse)
        log = warehouse.paths().refresh_log
        with log.open("w", encoding="utf-8") as out, contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
            result = run_refresh(warehouse)
        if not result.success:
            print("REFRESH FAILED: a gate stopped the run; serving.duckdb was not changed.", file=sys.stderr)
            for message in failure_messages(result):
                lines = message.splitlines()
                print(
                    f"- {chr(10).join(lines[:MESSAGE_LINES])}" + ("\n  …" if len(lines) > MESSAGE_LINES else ""),
                    file=sys.stderr,
                )
            print(f"full log: {log}", file=sys.stderr)
            return 1
        print(f"refresh succeeded (run {result.run_id}); log: {log}")
    print(summary(warehouse))
    return 0


if __name__ == "__main__":
    sys.exit(main())
