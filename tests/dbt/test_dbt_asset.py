"""The dbt command a build plan turns into (orchestration.defs.dbt.dbt_args)."""

import json
from datetime import date

from orchestration.defs.dbt import dbt_args
from orchestration.ledger import BuildPlan


def test_full_rebuild_is_a_full_refresh():
    assert dbt_args(BuildPlan(full_rebuild=True, reasons=("dbt project changed",))) == ["build", "--full-refresh"]


def test_full_rebuild_ignores_pending_months():
    plan = BuildPlan(months=(date(2025, 1, 1),), full_rebuild=True, reasons=("full rebuild requested",))
    assert dbt_args(plan) == ["build", "--full-refresh"]


def test_changed_months_are_passed_as_refresh_months():
    plan = BuildPlan(months=(date(2024, 12, 1), date(2025, 1, 1)), reasons=("2 month(s) changed",))
    command, flag, variables = dbt_args(plan)
    assert (command, flag) == ("build", "--vars")
    assert json.loads(variables) == {"refresh_months": ["2024-12-01", "2025-01-01"]}


def test_no_months_still_builds_the_models_that_are_not_incremental():
    # a feed without months changed: nothing to delete and insert, the whole models rebuild
    assert json.loads(dbt_args(BuildPlan(reasons=("feed(s) changed: kosis_annual_partner",)))[2]) == {
        "refresh_months": []
    }
