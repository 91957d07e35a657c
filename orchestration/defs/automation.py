"""The refresh job, its monthly schedule and the landing-directory sensor."""

import json

import dagster as dg

from orchestration.defs.resources import WarehouseResource
from orchestration.feeds import FEEDS
from orchestration.files import landing_files, sha256_of
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
    """The monthly refresh; skipped, without a run, when the ledger shows nothing changed."""
    reason = why_refresh(warehouse.paths())
    if reason is None:
        return dg.SkipReason("nothing changed since the last publication")
    return dg.RunRequest(tags={"refresh_reason": reason[:200]})


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
