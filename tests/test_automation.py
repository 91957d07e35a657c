"""Definitions load; the schedule and the landing sensor behave (one run per new or changed file)."""

import json
import os

import dagster as dg

from orchestration.definitions import build_defs
from orchestration.defs.automation import landing_sensor, monthly_refresh
from tests.helpers import drop, resource

RAW_KEYS = {f"raw/{feed}" for feed in ("kcs_monthly_partner", "kosis_annual_partner", "firm_size_exports")}
MART_KEYS = {f"marts/{m}" for m in ("destination_share", "destination_crossovers", "sme_participation")}


def test_definitions_load_with_every_layer(tmp_path):
    defs = build_defs(resource(tmp_path))
    graph = defs.resolve_asset_graph()
    keys = {k.to_user_string() for k in graph.get_all_asset_keys()}
    assert RAW_KEYS | MART_KEYS | {"publish/serving_duckdb", "reference/countries"} <= keys
    assert defs.resolve_job_def("refresh") is not None


def test_raw_feeds_have_blocking_checks_and_publish_depends_on_every_mart(tmp_path):
    graph = build_defs(resource(tmp_path)).resolve_asset_graph()
    for key in RAW_KEYS:
        checks = {c.name: c for c in graph.asset_check_keys if c.asset_key.to_user_string() == key}
        gates = {name: c for name, c in checks.items() if name != "release_calendar"}
        assert set(gates) == {"gx_file_rules", "sql_table_rules"}
        assert all(graph.get_check_spec(c).blocking for c in gates.values())
        # freshness against the feed's release calendar is shown, never a gate
        assert "release_calendar" not in checks or not graph.get_check_spec(checks["release_calendar"]).blocking
    publish = graph.get(dg.AssetKey(["publish", "serving_duckdb"]))
    all_marts = {k.to_user_string() for k in graph.get_all_asset_keys() if k.path[0] == "marts"}
    assert all_marts >= MART_KEYS
    assert {k.to_user_string() for k in publish.parent_keys} == all_marts
    # dbt tests are asset checks on the marts
    mart_checks = {c.name for c in graph.asset_check_keys if c.asset_key.to_user_string() == "marts/destination_share"}
    assert "assert_country_shares_sum_to_at_most_one" in mart_checks


def test_monthly_schedule_runs_after_the_customs_revision():
    assert monthly_refresh.cron_schedule == "0 6 16 * *"
    assert monthly_refresh.execution_timezone == "Asia/Seoul"
    assert monthly_refresh.job_name == "refresh"


def evaluate(warehouse, cursor):
    context = dg.build_sensor_context(
        cursor=cursor, instance=dg.DagsterInstance.ephemeral(), resources={"warehouse": resource(warehouse)}
    )
    tick = landing_sensor.evaluate_tick(context)
    return tick.run_requests, tick.cursor


def test_sensor_requests_one_run_per_new_or_changed_file(tmp_path):
    assert evaluate(tmp_path, None)[0] == []

    first = drop(tmp_path, "kcs_monthly_partner", "a.csv", "period,partner_code,flow,value_usd\n2025-01,USA,export,1\n")
    drop(tmp_path, "kcs_monthly_partner", ".b.csv.part", "being written")  # partial files are ignored
    drop(tmp_path, "unknown_feed", "c.csv", "x")  # not a feed: ignored
    requests, cursor = evaluate(tmp_path, None)
    assert len(requests) == 1
    assert requests[0].run_key.startswith("kcs_monthly_partner/a.csv@")
    assert requests[0].tags["landing_file"] == "kcs_monthly_partner/a.csv"
    first_key = requests[0].run_key

    assert evaluate(tmp_path, cursor)[0] == []  # same file again: no new run

    os.utime(first, ns=(1, 1))  # touched but identical content: no new run
    requests, cursor = evaluate(tmp_path, cursor)
    assert requests == []

    first.write_text("period,partner_code,flow,value_usd\n2025-01,USA,export,2\n")  # changed content
    requests, cursor = evaluate(tmp_path, cursor)
    assert len(requests) == 1 and requests[0].run_key != first_key
    assert json.loads(cursor)["kcs_monthly_partner/a.csv"]["sha256"] in requests[0].run_key

    drop(tmp_path, "firm_size_exports", "d.csv", "x")  # a second feed's file: its own run
    requests, _ = evaluate(tmp_path, cursor)
    assert [r.tags["landing_file"] for r in requests] == ["firm_size_exports/d.csv"]
