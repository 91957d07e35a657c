"""The refresh job, its monthly schedule and the landing-directory sensor."""

import json

import dagster as dg

from orchestration import clock, freshness
from orchestration.database import connect
from orchestration.defs.resources import WarehouseResource
from orchestration.feeds import FEEDS
from orchestration.files import landing_files, sha256_of
from orchestration.settings import WarehousePaths
from orchestration.up_to_date import why_refresh

refresh_job = dg.define_asset_job(
    "refresh",
    selection=dg.AssetSelection.all() - dg.AssetSelection.groups("connectors"),
    description="Full refresh: raw feeds (gated) → dbt build (tested) → publish serving.duckdb. No network.",
    executor_def=dg.in_process_executor,
)


# Korea Customs revises the previous month around the 15th: refresh on the 16th, 06:00 Seoul time.
@dg.schedule(
    job=refresh_job,
    cron_schedule="0 6 16 * *",
    execution_timezone="Asia/Seoul",
    default_status=dg.DefaultScheduleStatus.RUNNING,
)
def monthly_refresh(context: dg.ScheduleEvaluationContext, warehouse: WarehouseResource):
    """The monthly refresh; skipped, without a run, when the ledger shows nothing changed. Either way it says which
    releases it was waiting for (due by today on the feeds' calendars, not in the last publication) and, for a run,
    which of them the new files bring (the run's release_calendar checks)."""
    reason = why_refresh(warehouse.paths())
    awaited = awaited_releases(warehouse.paths())
    if reason is None:
        still = f"; still waiting for {awaited}" if awaited else ""
        return dg.SkipReason(f"nothing changed since the last publication{still}")
    return dg.RunRequest(tags={"refresh_reason": reason[:200], "awaited_releases": (awaited or "none")[:200]})


def awaited_releases(paths: WarehousePaths) -> str:
    """The releases due by today that the last publication does not hold, e.g. `kcs_monthly_partner final
    statistics by country 2026-10 (due 2026-11-15)`; "" when none is, or nothing is published."""
    if not paths.serving_db.exists():
        return ""
    with connect(paths.serving_db, read_only=True) as con:
        rows = freshness.published(con)
    behind = freshness.stale(rows, clock.today())
    return "; ".join(
        f"{f.feed} {f.release} {freshness.label(f.expected_period, f.frequency)} (due {f.expected_since})"
        for f in behind
    )


@dg.sensor(job=refresh_job, minimum_interval_seconds=30, default_status=dg.DefaultSensorStatus.RUNNING)
def landing_sensor(context: dg.SensorEvaluationContext, warehouse: WarehouseResource):
    """One refresh per new or changed landing file, exactly once (run key = file + SHA-256).

    The cursor remembers each file's size, mtime and hash, so unchanged files are not re-hashed. Files the ledger
    already holds (loaded by a `refresh` from the CLI, or seen again after the cursor was reset) start no run.
    """
    landing = warehouse.paths().landing
    seen = json.loads(context.cursor) if context.cursor else {}
    current, requests = {}, []
    for path in landing_files(warehouse.paths(), FEEDS):
        name, stat = path.relative_to(landing).as_posix(), path.stat()
        previous = seen.get(name)
        if previous and previous["size"] == stat.st_size and previous["mtime_ns"] == stat.st_mtime_ns:
            current[name] = previous
            continue
        current[name] = {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns, "sha256": sha256_of(path)}
        if not previous or previous["sha256"] != current[name]["sha256"]:
            requests.append(
                dg.RunRequest(
                    run_key=f"{name}@{current[name]['sha256']}",
                    tags={"landing_file": name, "landing_sha256": current[name]["sha256"]},
                )
            )
    context.update_cursor(json.dumps(current, sort_keys=True))
    if requests and why_refresh(warehouse.paths()) is None:
        return dg.SkipReason(f"{len(requests)} landing file(s) already loaded and published: no run")
    return requests or dg.SkipReason("no new or changed landing file")
