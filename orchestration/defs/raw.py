"""raw/<feed> assets: one per feed spec, all built by the same loader (orchestration/loading.py).

Each asset carries two blocking checks, evaluated *before* promotion:
  gx_file_rules   the feed's GX suite on every new or changed file (expectations/<feed>.json)
  sql_table_rules the feed's table-wide SQL rules on the changed months (its checks and the rules its spec
                  declares: periods, revisions, plausibility; orchestration/feeds/gates.py)
and a feed with a release calendar one non-blocking check, after the load:
  release_calendar  the latest period held of each release against the latest its publisher should have out
                    (orchestration/freshness.py): a warning when behind, an error when far behind; it never
                    stops the run
If either gate fails, the check result is recorded, nothing is promoted, the failing landing files that this run
read are moved to quarantine (orchestration/quarantine.py) and the run stops. A declared benchmark revision
that passed is reported (metadata `benchmark_revisions`, a warning in the log, a line of the CLI's summary), and so
is a file not loaded because its content is loaded from another file (metadata `duplicates`).
"""

from collections import defaultdict
from pathlib import Path

import dagster as dg

from orchestration import clock, freshness
from orchestration.defs.resources import WRITER_POOL, WarehouseResource
from orchestration.feeds import FEEDS
from orchestration.feeds.gates import table_rules
from orchestration.feeds.readers import source_file
from orchestration.feeds.spec import FeedError, FeedSpec
from orchestration.files import feed_files, sha256_of
from orchestration.loading import FeedLoad, FeedRejected, load_feed
from orchestration.quarantine import is_landing_file, quarantine, quarantined_hashes
from orchestration.settings import WarehousePaths

GX_CHECK, SQL_CHECK = "gx_file_rules", "sql_table_rules"
BENCHMARK_METADATA = "benchmark_revisions"  # accepted declared benchmark revisions, one line each
DUPLICATES_METADATA = "duplicates"  # files not loaded because their content is loaded, one line each
NOTES_METADATA = (BENCHMARK_METADATA, DUPLICATES_METADATA)  # lines the CLI prints after a refresh


def _failures_markdown(error: FeedRejected) -> dg.MetadataValue:
    lines = ["| file | rule | rows | detail |", "|---|---|---|---|"]
    for e in error.errors[:50]:
        rows = ", ".join(map(str, e.rows[:10])) + (" …" if len(e.rows) > 10 else "")
        lines.append(f"| {e.file} | {e.rule} | {rows} | {e.detail[:200].replace('|', '/')} |")
    return dg.MetadataValue.md("\n".join(lines))


def _files_markdown(load: FeedLoad) -> dg.MetadataValue:
    lines = ["| file | format | rows | months | sha256 |", "|---|---|---|---|---|"]
    lines += [
        f"| {f.source_file} | {f.file_format.name} | {f.rows} | {len(f.months)} | {f.sha256[:12]} |" for f in load.files
    ]
    lines += [f"| {path} | removed | | | |" for path in load.removed]
    return dg.MetadataValue.md("\n".join(lines))


def _months(load: FeedLoad) -> str:
    if load.months is None:
        return "whole feed" if load.changed else "none"
    months = [f"{m:%Y-%m}" for m in load.months]
    return ", ".join(months) if len(months) <= 6 else f"{len(months)} months, {months[0]} … {months[-1]}"


def _drop_known_bad(spec: FeedSpec, paths: WarehousePaths, files: list[Path]) -> tuple[list[Path], list[str]]:
    """Landing files whose exact bytes were quarantined before go straight back to quarantine."""
    known_bad = quarantined_hashes(paths, spec.name)
    keep, requarantined = [], []
    for path in files:
        if known_bad and is_landing_file(paths, path) and sha256_of(path) in known_bad:
            error = FeedError(source_file(path), "file was not quarantined before (same SHA-256)")
            requarantined.append(str(quarantine(paths, spec.name, path, [error], "repeat")))
        else:
            keep.append(path)
    return keep, requarantined


def _quarantine_rejected(spec: FeedSpec, paths: WarehousePaths, files: list[Path], rejected: FeedRejected) -> list[str]:
    """Move every landing file named by the rejection that this run read into quarantine; sample files, and
    landing files loaded by an earlier refresh, stay where they are."""
    by_name = {source_file(p): p for p in files}
    failures = defaultdict(list)
    for error in rejected.errors:
        failures[error.file].append(error)
    return [
        str(quarantine(paths, spec.name, by_name[name], errors, rejected.stage))
        for name, errors in failures.items()
        if name in by_name and name in rejected.changed and is_landing_file(paths, by_name[name])
    ]


def freshness_result(rows: list[freshness.Freshness]) -> dg.AssetCheckResult:
    """The release_calendar check of one feed: passed when every release is fresh or within its grace days."""
    stale = [r for r in rows if r.status not in freshness.OK]
    far = any(r.status == "far behind" for r in stale)
    return dg.AssetCheckResult(
        check_name=freshness.CHECK,
        passed=not stale,
        severity=dg.AssetCheckSeverity.ERROR if far else dg.AssetCheckSeverity.WARN,
        description="; ".join(r.line() for r in stale) or "every release as due",
        metadata={
            "as_of": str(rows[0].as_of),
            "most_periods_behind": max((r.periods_behind or 0) for r in rows),
            "releases": dg.MetadataValue.md("\n".join(f"- {r.line()}" for r in rows)),
        },
    )


def column_schema(spec: FeedSpec) -> dg.TableSchema:
    """The columns of raw.<feed> as the UI shows them (the spec's columns, then the lineage columns)."""
    return dg.TableSchema(columns=[dg.TableColumn(name, kind.lower()) for name, kind in spec.table_columns.items()])


def build_raw_asset(spec: FeedSpec) -> dg.AssetsDefinition:
    key = dg.AssetKey(["raw", spec.name])

    @dg.asset(
        key=key,
        group_name="ingest",
        description=f"{spec.description}. Files: data/sample/{spec.name}/ and <landing>/{spec.name}/.",
        kinds={"duckdb", "python"},
        pool=WRITER_POOL,
        metadata={"dagster/column_schema": column_schema(spec), "table": f"raw.{spec.name} (warehouse.duckdb)"},
        check_specs=[
            dg.AssetCheckSpec(
                GX_CHECK, asset=key, blocking=True, description=f"GX suite expectations/{spec.name}.json on every file"
            ),
            dg.AssetCheckSpec(
                SQL_CHECK,
                asset=key,
                blocking=True,
                description="Table-wide SQL rules on the changed months (before promotion)",
            ),
            *(
                [
                    dg.AssetCheckSpec(
                        freshness.CHECK,
                        asset=key,
                        blocking=False,
                        description="The latest period of each release against the feed's release calendar "
                        "(a warning when behind, an error when far behind; never blocks)",
                    )
                ]
                if spec.calendar
                else []
            ),
        ],
    )
    def raw_feed(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
        paths = warehouse.paths()
        files, requarantined = _drop_known_bad(spec, paths, feed_files(spec.name, paths))
        for reason in requarantined:
            context.log.warning(f"already quarantined before, moved back to quarantine: {reason}")
        with warehouse.connect() as con:
            try:
                load = load_feed(spec, files, con, paths.sample)
            except FeedRejected as rejected:
                moved = _quarantine_rejected(spec, paths, files, rejected)
                yield dg.AssetCheckResult(
                    check_name=GX_CHECK if rejected.stage == "file rules" else SQL_CHECK,
                    passed=False,
                    metadata={
                        "failures": _failures_markdown(rejected),
                        "failed_rules": len(rejected.errors),
                        "quarantined": dg.MetadataValue.json(moved),
                    },
                )
                note = "".join(f"\n  quarantined: {reason}" for reason in moved)
                raise dg.Failure(str(rejected) + note, metadata={"failures": _failures_markdown(rejected)}) from None
            preview = con.execute(f"SELECT * EXCLUDE (file_sha256, loaded_at) FROM raw.{spec.name} LIMIT 10").df()
            fresh = freshness.of_feed(spec, con, clock.today()) if spec.calendar else []
        context.log.info(
            f"raw/{spec.name}: {len(load.files)} file(s) loaded, {len(load.removed)} removed, {load.unchanged} "
            f"unchanged, {len(load.duplicates)} duplicate(s) not loaded; months changed: {_months(load)}"
        )
        for line in load.benchmark_revisions + load.duplicates:
            context.log.warning(line)
        yield dg.MaterializeResult(
            metadata={
                "dagster/row_count": load.rows,
                "files_loaded": _files_markdown(load),
                "files_unchanged": load.unchanged,
                "files_removed": len(load.removed),
                "months_changed": _months(load),
                "requarantined": dg.MetadataValue.json(requarantined),
                BENCHMARK_METADATA: dg.MetadataValue.json(load.benchmark_revisions),
                DUPLICATES_METADATA: dg.MetadataValue.json(load.duplicates),
                "preview": dg.MetadataValue.md(preview.to_markdown(index=False)),
            },
            check_results=[
                dg.AssetCheckResult(
                    check_name=GX_CHECK,
                    passed=True,
                    metadata={
                        "files_validated": len(load.files),
                        "expectations_evaluated": load.expectations_evaluated,
                    },
                ),
                dg.AssetCheckResult(
                    check_name=SQL_CHECK,
                    passed=True,
                    metadata={"rules": len(table_rules(spec)), "months": _months(load)},
                ),
                *([freshness_result(fresh)] if fresh else []),
            ],
        )

    return raw_feed


RAW_ASSETS = [build_raw_asset(spec) for spec in FEEDS.values()]
