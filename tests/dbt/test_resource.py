"""WarehouseDbtCli overrides two private hooks of the pinned dagster-dbt (orchestration/dbt/resource.py):
they must still exist, and dbt must still run through the subclass."""

from dagster_dbt import DbtCliResource

from orchestration.dbt.resource import WarehouseDbtCli, dbt_resource
from orchestration.settings import WarehousePaths, dbt_environment


def test_overridden_hooks_exist_in_dagster_dbt():
    assert isinstance(DbtCliResource.__dict__.get("_cli_version"), type(WarehouseDbtCli.__dict__["_cli_version"]))
    assert callable(DbtCliResource.__dict__.get("_initialize_dbt_core_adapter"))


def test_dbt_parse_runs_through_the_resource(tmp_path, monkeypatch):
    for name, value in dbt_environment(WarehousePaths(tmp_path)).items():  # what the dbt asset exports
        monkeypatch.setenv(name, value)
    invocation = dbt_resource().cli(["parse", "--quiet"], target_path=tmp_path / "target")
    invocation.wait()
    assert invocation.is_successful()
    assert (tmp_path / "target" / "manifest.json").stat().st_size > 0
    assert dbt_resource()._cli_version.major == 1
