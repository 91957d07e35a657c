"""Nothing changed → no Dagster run, no dbt: the CLI, the sensor and the schedule know it from the ledger."""

from datetime import datetime

import dagster as dg
import duckdb

from orchestration import cli, ledger
from orchestration.defs.automation import landing_sensor, monthly_refresh
from orchestration.feeds import FEEDS
from orchestration.loading import prepare
from orchestration.raw_views import parsed_table, parser_digest, table_comment
from orchestration.settings import WarehousePaths
from orchestration.up_to_date import why_refresh
from tests.helpers import drop, resource, sha256, writer_lock_held_elsewhere
from tests.republished import NEW_MONTH


def test_a_published_warehouse_is_up_to_date_until_something_changes(warehouse):
    paths = WarehousePaths(warehouse)
    assert why_refresh(paths) is None
    landed = drop(warehouse, "kcs_monthly_partner", "long.csv", NEW_MONTH)
    assert why_refresh(paths) == f"new file {landed}"
    landed.unlink()
    assert why_refresh(paths) is None
    with duckdb.connect(str(paths.warehouse_db)) as con:
        ledger.note_pending(con, "kcs_monthly_partner", None, datetime(2030, 1, 1))
    assert why_refresh(paths) == "feed(s) changed: kcs_monthly_partner"


def test_a_touched_or_removed_sample_file_and_a_new_dbt_project_are_changes(warehouse):
    paths = WarehousePaths(warehouse)
    with duckdb.connect(str(paths.warehouse_db)) as con:
        con.execute(f"UPDATE {ledger.FILES} SET mtime_ns = mtime_ns + 1 WHERE path LIKE '%kosis%'")
    assert why_refresh(paths).startswith("changed file ") and "kosis" in why_refresh(paths)
    with duckdb.connect(str(paths.warehouse_db)) as con:
        con.execute(f"UPDATE {ledger.FILES} SET mtime_ns = mtime_ns - 1 WHERE path LIKE '%kosis%'")
        con.execute(f"UPDATE {ledger.FILES} SET path = path || '.gone' WHERE path LIKE '%kosis%'")
    assert why_refresh(paths).startswith("new file ")  # and the ledger's file is gone from disk
    with duckdb.connect(str(paths.warehouse_db)) as con:
        con.execute(f"UPDATE {ledger.FILES} SET path = replace(path, '.gone', '')")
        con.execute(f"UPDATE {ledger.BUILDS} SET manifest_sha256 = 'another project'")
    assert why_refresh(paths) == "dbt project changed"


def test_files_parsed_by_other_parsing_code_are_read_again(warehouse):
    """A format that now parses more (e.g. the WLD row per HS chapter) changes the feed's parser digest: the refresh
    is not a no-op, and the load forgets the feed's files, so it reads and validates all of them again."""
    paths, spec = WarehousePaths(warehouse), FEEDS["kcs_product_partner"]
    with duckdb.connect(str(paths.warehouse_db)) as con:
        assert table_comment(con, parsed_table(spec)) == parser_digest(spec)
        con.execute(f"COMMENT ON TABLE {parsed_table(spec)} IS 'parser of an earlier release'")
    assert why_refresh(paths) == "the parsing code of kcs_product_partner changed: its files are read again"
    with duckdb.connect(str(paths.warehouse_db)) as con:
        assert ledger.known_files(con, spec.name)
        prepare(spec, con)
        assert not ledger.known_files(con, spec.name)
        assert con.execute(f"SELECT count(*) FROM {parsed_table(spec)}").fetchone() == (0,)
        assert table_comment(con, parsed_table(spec)) == parser_digest(spec)
        assert ledger.known_files(con, "kosis_annual_partner")  # other feeds keep theirs


def test_the_cli_answers_a_no_op_without_starting_a_run(warehouse, monkeypatch, capsys):
    monkeypatch.setenv("WAREHOUSE_DIR", str(warehouse))
    monkeypatch.setattr(cli, "run_refresh", lambda *a, **k: (_ for _ in ()).throw(AssertionError("a run started")))
    before = sha256(warehouse / "serving.duckdb")
    assert cli.main(["refresh"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("nothing changed since the last publication: serving.duckdb stays as published (")
    assert out[0].endswith(" s, no run started)")
    assert any(line.startswith("  marts.destination_share: ") for line in out)
    assert sha256(warehouse / "serving.duckdb") == before


def evaluate_sensor(warehouse, cursor=None) -> dg.SensorResult:
    context = dg.build_sensor_context(
        cursor=cursor, instance=dg.DagsterInstance.ephemeral(), resources={"warehouse": resource(warehouse)}
    )
    return landing_sensor.evaluate_tick(context)


def test_a_landed_file_is_a_reason_to_refresh_and_the_sensor_requests_a_run(warehouse):
    landed = drop(warehouse, "kcs_monthly_partner", "long.csv", NEW_MONTH)
    assert why_refresh(WarehousePaths(warehouse)) == f"new file {landed}"
    assert len(evaluate_sensor(warehouse).run_requests) == 1


def test_after_a_refresh_the_warehouse_is_up_to_date_and_the_sensor_starts_no_run(republished):
    """The shared second publication (tests/republished.py): eight files landed, loaded by `korea-warehouse refresh`."""
    assert why_refresh(WarehousePaths(republished.root)) is None
    tick = evaluate_sensor(republished.root)  # a sensor without a cursor (reset) sees the files as new
    assert tick.run_requests == [] and tick.skip_message == "8 landing file(s) already loaded and published: no run"


def test_the_schedule_skips_when_nothing_changed(warehouse, tmp_path):
    def tick(root):
        context = dg.build_schedule_context(resources={"warehouse": resource(root)})
        return monthly_refresh.evaluate_tick(context)

    assert tick(warehouse).run_requests == []
    assert tick(warehouse).skip_message.startswith("nothing changed since the last publication")
    assert [r.tags["refresh_reason"] for r in tick(tmp_path).run_requests] == ["nothing published yet"]


def test_a_running_refresh_is_a_reason_to_run_not_a_lock_error(warehouse):
    paths = WarehousePaths(warehouse)
    with writer_lock_held_elsewhere(warehouse):
        assert why_refresh(paths) == "a refresh is running"
    assert why_refresh(paths) is None
