"""The dbt command a build plan turns into (orchestration.defs.dbt.dbt_args)."""

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import duckdb

from orchestration import ledger
from orchestration.dbt.project import not_downstream_of
from orchestration.defs.dbt import BUILD, dbt_args
from orchestration.ledger import BuildPlan
from orchestration.settings import DBT_PROJECT_DIR, WarehousePaths, dbt_environment


def test_full_rebuild_is_a_full_refresh():
    assert dbt_args(BuildPlan(full_rebuild=True, reasons=("dbt project changed",))) == [*BUILD, "--full-refresh"]


def test_full_rebuild_ignores_pending_months_and_feeds():
    plan = BuildPlan(
        months=(date(2025, 1, 1),), feeds=("kcs_monthly_partner",), full_rebuild=True, reasons=("full rebuild",)
    )
    assert dbt_args(plan) == [*BUILD, "--full-refresh"]


def test_only_models_downstream_of_the_changed_feeds_are_built():
    plan = BuildPlan(
        months=(date(2024, 12, 1),), feeds=("kcs_monthly_partner", "kosis_annual_partner"), reasons=("changed",)
    )
    unaffected = {("kcs_monthly_partner", "kosis_annual_partner"): ["countries", "published_trade_figures"]}
    assert dbt_args(plan, unaffected.get) == [
        *BUILD, "--exclude", "countries published_trade_figures", "--indirect-selection", "empty"
    ]  # fmt: skip


def test_what_is_not_downstream_of_a_feed_is_what_dbt_would_not_select():
    """The exclusion equals the complement of dbt's own `source:raw.<feed>+` (models, seeds, data and unit tests),
    plus what reads the feeds' freshness, which every build rebuilds (`rebuilt_every_build`)."""
    excluded = set(not_downstream_of(("kcs_monthly_partner",)))
    downstream = set(dbt_ls("--select", "source:raw.kcs_monthly_partner+", "source:raw._feed_freshness+"))
    everything = set(dbt_ls("--select", "fqn:*"))
    assert {"destination_share", "stg_kcs_monthly_partner_vintages", "feed_freshness"} <= downstream
    assert "feed_freshness" in downstream - set(dbt_ls("--select", "source:raw.kcs_monthly_partner+"))
    assert {"published_trade_figures", "countries", "stg_published_figures"} <= excluded
    named = {e.removeprefix("unit_test:") for e in excluded}
    assert named == everything - downstream and not named & downstream


def dbt_ls(*selection: str) -> list[str]:
    """Names of the models, seeds, data tests and unit tests dbt selects."""
    command = [
        str(Path(sys.executable).with_name("dbt")),
        "ls",
        "-q",
        "--no-write-json",
        "--output",
        "name",
        *selection,
    ]
    command += ["--resource-types", "model", "seed", "test", "unit_test"]
    env = os.environ | dbt_environment(WarehousePaths.from_env())
    return subprocess.run(
        command, cwd=DBT_PROJECT_DIR, env=env, capture_output=True, text=True, check=True
    ).stdout.split()


def test_an_unpublished_build_is_built_whole_again():
    assert dbt_args(BuildPlan(reasons=("the last build was not published",))) == BUILD


def test_the_build_window_holds_exactly_the_plan_months():
    con = duckdb.connect()
    ledger.ensure_tables(con)
    ledger.set_build_window(con, (date(2024, 12, 1), date(2025, 1, 1)))
    ledger.set_build_window(con, (date(2025, 2, 1),))
    assert con.execute(f"SELECT month FROM {ledger.WINDOW}").fetchall() == [(date(2025, 2, 1),)]
