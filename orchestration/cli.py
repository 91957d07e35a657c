"""The command line: `python -m orchestration.cli COMMAND` (installed as `korea-warehouse COMMAND`).

  refresh [--full]   the `refresh` job in this process (what `make run` calls): one line per step, a line per
                     accepted benchmark revision, then what is published; exit 1 if a gate (or anything else)
                     stopped it, serving.duckdb then unchanged.
                     Only new or changed files are read; `--full` reads and validates everything again.
  summary            what serving.duckdb holds: rows per mart, the latest US and China shares, a text chart
  fetch SOURCE       one live connector (the only command that goes online), `--config` its JSON settings
  docs               the static dbt docs site in <warehouse>/docs/ (after a refresh)

A mistake a user can make (bad JSON, nothing published yet, a second refresh while one runs, no network) ends
in one line naming it and what to do next, exit code 1 (2 for a usage error), never a traceback. The full log
of a refresh is in <warehouse>/last_refresh.log, of a fetch in <warehouse>/last_fetch.log.
"""

import argparse
import contextlib
import json
import os
import re
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from orchestration.database import connect
from orchestration.settings import WarehousePaths
from orchestration.up_to_date import why_refresh
from orchestration.writer_lock import WriterBusy, writer_lock

if TYPE_CHECKING:  # Dagster is imported only by commands that run it: a no-op refresh answers without it
    import dagster as dg

    from orchestration.defs.resources import WarehouseResource

PROG = "korea-warehouse"
MESSAGE_LINES = 12  # per failure on the terminal; the whole text is in the log


class UserError(Exception):
    """A problem the user can fix: printed as one line, exit code 1."""


def _instance() -> "dg.DagsterInstance":
    import dagster as dg

    return dg.DagsterInstance.get() if os.environ.get("DAGSTER_HOME") else dg.DagsterInstance.ephemeral()


def run_refresh(
    warehouse: "WarehouseResource", instance: "dg.DagsterInstance | None" = None, log_file: Path | None = None
) -> "dg.ExecuteInProcessResult":
    """Execute the refresh job in this process. With `log_file`, every log record goes there and one line per
    step to the terminal (orchestration.run_log); without it, only warnings are logged (tests)."""
    from orchestration.definitions import build_defs
    from orchestration.run_log import progress_logger

    job = build_defs(warehouse).resolve_job_def("refresh")
    if log_file is None:
        run_config = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}
    else:
        job = job.with_logger_defs({"progress": progress_logger})
        run_config = {"loggers": {"progress": {"config": {"log_file": str(log_file)}}}}
    return job.execute_in_process(run_config=run_config, instance=instance or _instance(), raise_on_error=False)


def request_full_refresh(warehouse: "WarehouseResource") -> None:
    """Make the next refresh read and validate every file again and rebuild all models (`--full-refresh`)."""
    from orchestration import clock, ledger
    from orchestration.loading import forget_all_files

    with warehouse.connect() as con:
        forget_all_files(con)
        ledger.request_full_rebuild(con, clock.now())


@contextlib.contextmanager
def _quiet(log: Path):
    """Everything the tools print goes to `log`; the step lines of the run still reach this terminal."""
    from orchestration.run_log import steps_to

    with (
        steps_to(sys.stdout),
        log.open("a", encoding="utf-8") as out,
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(out),
    ):
        yield


def _root_cause(error) -> str:
    while error.cause is not None:
        error = error.cause
    return re.sub(r"^[\w.]+(Error|Failure|Exception|Rejected): ", "", error.message.strip())


def failed_checks(result: "dg.ExecuteInProcessResult", severity: str = "ERROR") -> list[str]:
    """The checks of a run that failed at `severity` (ERROR: a gate; WARN: a warning that publishes), a line each.
    The release-calendar checks are no gates: the summary states each feed's freshness instead."""
    from orchestration import freshness

    return [
        f"check {e.asset_key.to_user_string()} / {e.check_name} failed"
        for e in result.get_asset_check_evaluations()
        if not e.passed and e.severity.value == severity and e.check_name != freshness.CHECK
    ]


def failed_steps(result: "dg.ExecuteInProcessResult") -> dict[str, str]:
    """Step -> the root cause of its failure."""
    import dagster as dg

    return {
        e.step_key: _root_cause(e.step_failure_data.error)
        for e in result.all_events
        if e.event_type == dg.DagsterEventType.STEP_FAILURE
    }


def failure_messages(result: "dg.ExecuteInProcessResult") -> list[str]:
    """Failed checks and failed steps of a run, one line each (file, rule and rows for raw feeds)."""
    return failed_checks(result) + [f"{step}: {cause}" for step, cause in failed_steps(result).items()]


def _print_failures(messages: list[str]) -> None:
    for message in messages:
        lines = message.splitlines()
        more = "\n  …" if len(lines) > MESSAGE_LINES else ""
        print("- " + "\n".join(lines[:MESSAGE_LINES]) + more, file=sys.stderr)


def stray_landing_files(paths: WarehousePaths) -> list[str]:
    """Warnings for files in the landing directory that no feed will read, naming where they belong. (A file in a
    feed's folder is always read: one of a type the feed does not accept is rejected by its gate.)"""
    from orchestration.feeds import FEEDS
    from orchestration.files import is_feed_file

    landing = paths.landing
    feeds = ", ".join(FEEDS)
    warnings = []
    for path in sorted(landing.rglob("*")) if landing.is_dir() else []:
        if not is_feed_file(path):
            continue
        where = path.relative_to(landing)
        if len(where.parts) == 1:
            warnings.append(f"{path} is not read: put it in {landing}/<feed>/ (feeds: {feeds})")
        elif where.parts[0] not in FEEDS:
            warnings.append(f"{path} is not read: {where.parts[0]}/ is no feed (feeds: {feeds})")
        elif len(where.parts) > 2:
            warnings.append(f"{path} is not read: feed files go directly in {landing / where.parts[0]}/")
    return warnings


def refresh(paths: WarehousePaths, full: bool) -> int:
    """Refresh, unless the ledger shows nothing to do (then no Dagster run and no dbt: a fraction of a second)."""
    for warning in stray_landing_files(paths):
        print(f"warning: {warning}", file=sys.stderr)
    started = time.monotonic()
    with writer_lock(paths):
        reason = "full refresh requested" if full else why_refresh(paths)
        if reason is None:
            print(f"nothing changed since the last publication: serving.duckdb stays as published "
                  f"({time.monotonic() - started:.1f} s, no run started)")  # fmt: skip
            print(summary(paths))
            return 0
        from orchestration.defs.reports import only_reports_failed
        from orchestration.defs.resources import WarehouseResource

        warehouse = WarehouseResource.at(paths)
        if full:
            request_full_refresh(warehouse)
        print(f"refresh of {paths.root} ({reason}; full log: {paths.refresh_log})")
        paths.refresh_log.write_text("", encoding="utf-8")
        with _quiet(paths.refresh_log):
            result = run_refresh(warehouse, log_file=paths.refresh_log)
    seconds = time.monotonic() - started
    if only_reports_failed(result):
        print(
            f"refresh published in {seconds:.1f} s, but some charts failed (the publication stands, the previous "
            "charts are kept):",
            file=sys.stderr,
        )
        _print_failures(failure_messages(result))
    elif not result.success:
        reason = "a gate stopped the run" if failed_checks(result) else "refresh failed (not a data gate)"
        print(f"REFRESH FAILED: {reason}; serving.duckdb was not changed.", file=sys.stderr)
        _print_failures(failure_messages(result))
        print(f"full log: {paths.refresh_log}", file=sys.stderr)
        return 1
    else:
        print(f"refresh succeeded in {seconds:.1f} s (run {result.run_id})")
    for line in failed_checks(result, "WARN"):
        print(f"warning: {line.removesuffix(' failed')} did not pass (a warning, not a gate; dbt's log says why)")
    for line in feed_notes(result):
        print(line)
    print(summary(paths))
    return 0


def feed_notes(result: "dg.ExecuteInProcessResult") -> list[str]:
    """The raw feeds' lines for the user: each accepted benchmark revision (its revisions beyond the tolerance: how
    many, the largest with both values) and each file not loaded because its content is loaded (both files)."""
    from orchestration.defs.raw import NOTES_METADATA

    return [
        line
        for event in result.get_asset_materialization_events()
        for key in NOTES_METADATA
        if key in event.materialization.metadata
        for line in event.materialization.metadata[key].value
    ]


def summary(paths: WarehousePaths) -> str:
    """Rows per served mart and the latest US/China shares, read from serving.duckdb (read-only)."""
    from orchestration.reports import headlines
    from orchestration.reports.text import us_china_share_bars

    path = paths.serving_db
    if not path.exists():
        raise UserError(f"nothing is published yet in {path.parent}: run `make run` (or `{PROG} refresh`) first")
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
            for freq, start, code, share in headlines.latest_us_china_shares(con)
        ]
        if lead := headlines.latest_lead(con):
            lines.append(f"latest month with both: {lead.line()}; month by month: marts.us_china_lead")
        lines += [
            f"a lead only in the first release: {start:%Y-%m} {note}; marts.release_revisions"
            for start, note in headlines.first_release_leads(con)
        ]
        if drivers := headlines.growth_drivers(con):
            lines.append(f"what drove it: {drivers.line()}; marts.export_growth_contributions")
        conflicts = headlines.release_conflicts(con)
        if conflicts:
            lines.append(
                f"same-day releases that disagree beyond their rounding (reported, not resolved): {len(conflicts)}"
            )
        lines += [
            f"  {code} {flow} {start:%Y-%m} released {day:%Y-%m-%d}: {figures} mn USD; marts.monthly_releases"
            for start, code, flow, day, figures in conflicts
        ]
        lines += freshness_lines(con)
        lines.append(us_china_share_bars(con))
        publication = con.execute("SELECT publication_id, published_at FROM marts._publication").fetchone()
        lines.append(f"publication {publication[0]} at {publication[1]:%Y-%m-%d %H:%M:%S} UTC")
        page = paths.reports / "index.html"
        lines.append(f"report page: {page}" if page.exists() else "report page: not rendered yet")
    return "\n".join(lines)


def freshness_lines(con) -> list[str]:
    """The feeds behind their release calendar today (the published latest periods judged on the clock's day), a
    line each; one line if none is."""
    from orchestration import clock, freshness

    rows = freshness.published(con)
    if not rows:
        return []  # published before feeds had calendars
    today = clock.today()
    behind = freshness.stale(rows, today)
    if not behind:
        return [f"every feed with a release calendar is up to date on {today} (marts.feed_freshness)"]
    return [f"behind its release calendar on {today} (marts.feed_freshness):"] + [f"  {f.line()}" for f in behind]


def fetch(source: str, config: dict, warehouse: "WarehouseResource", log_file: Path | None = None) -> list[str]:
    """Run one live connector (the only command that goes online); returns the files it landed. Raises UserError
    naming the rule that failed (nothing is landed then)."""
    import dagster as dg

    from orchestration.defs.connectors import CONNECTOR_ASSETS
    from orchestration.run_log import progress_logger

    assets = {a.key.path[-1]: a for a in CONNECTOR_ASSETS}
    if source not in assets:
        raise UserError(f"unknown source {source!r}: one of {', '.join(sorted(assets))}")
    asset = assets[source]
    before = {p for p in warehouse.paths().landing.glob("*/*") if p.is_file()}
    job = dg.Definitions(assets=[asset], resources={"warehouse": warehouse}).resolve_implicit_global_asset_job_def()
    loggers = {"console": {"config": {"log_level": "WARNING"}}}
    if log_file is not None:
        job = job.with_logger_defs({"progress": progress_logger})
        loggers = {"progress": {"config": {"log_file": str(log_file)}}}
    with _quiet(log_file) if log_file else contextlib.nullcontext():
        result = job.execute_in_process(
            run_config={"ops": {asset.op.name: {"config": config}}, "loggers": loggers},
            instance=dg.DagsterInstance.ephemeral(),
            raise_on_error=False,
        )
    if not result.success:
        raise UserError("fetch failed: " + "; ".join(failed_steps(result).values()))
    return [str(p) for p in sorted(p for p in warehouse.paths().landing.glob("*/*") if p.is_file()) if p not in before]


def docs(paths: WarehousePaths) -> int:
    """`dbt docs generate --static` against the warehouse, copied to <warehouse>/docs/index.html."""
    from orchestration.dbt.docs import build_docs

    if not paths.warehouse_db.exists():
        raise UserError(f"no warehouse in {paths.root} yet: run `make run` first, then `make docs`")
    with writer_lock(paths):
        try:
            page = build_docs(paths)
        except RuntimeError as exc:
            raise UserError(str(exc).replace("\n", " | ")) from None
    print(f"dbt docs: {page} (open it in a browser; linked from the report page)")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=PROG, description="Korea export-structure warehouse.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    refresh_cmd = commands.add_parser("refresh", help="validate, load, build and publish (what `make run` does)")
    refresh_cmd.add_argument("--full", action="store_true", help="read every file and rebuild every model again")
    commands.add_parser("summary", help="what serving.duckdb holds")
    fetch_cmd = commands.add_parser("fetch", help="call one live API and land its responses")
    fetch_cmd.add_argument("source", help="kcs_openapi, comtrade or imf")
    fetch_cmd.add_argument("--config", default="{}", help="the connector's settings as JSON")
    commands.add_parser("docs", help="build the static dbt docs site")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    paths = WarehousePaths.from_env()
    try:
        if args.command == "refresh":
            return refresh(paths, args.full)
        if args.command == "summary":
            print(summary(paths))
            return 0
        if args.command == "docs":
            return docs(paths)
        try:
            config = json.loads(args.config)
        except json.JSONDecodeError as exc:
            raise UserError(f"--config is not valid JSON ({exc.msg}, column {exc.colno}): {args.config}") from None
        if not isinstance(config, dict):
            raise UserError(f'--config must be a JSON object, e.g. \'{{"periods": ["2024"]}}\', got {args.config}')
        from orchestration.defs.resources import WarehouseResource

        log = paths.ensure().root / "last_fetch.log"
        log.write_text("", encoding="utf-8")
        warehouse = WarehouseResource.at(paths)
        for path in fetch(args.source, config, warehouse, log_file=log):
            print(f"landed: {path}")
        print(f"`{PROG} refresh` (or the landing sensor) loads them through the gates; full log: {log}")
        return 0
    except (UserError, WriterBusy) as exc:
        print(f"{PROG} {args.command}: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
