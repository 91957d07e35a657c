"""WarehouseDbtCli overrides private seams of the pinned dagster-dbt (orchestration/dbt/resource.py): they must
still exist, and dbt must still run through the subclass, in this process, failures included."""

import inspect

from dagster_dbt import DbtCliResource
from dagster_dbt.core import dbt_cli_invocation

from orchestration.dbt.resource import DbtInThisProcess, WarehouseDbtCli, dbt_resource
from orchestration.settings import WarehousePaths, dbt_environment


def test_overridden_hooks_exist_in_dagster_dbt():
    assert isinstance(DbtCliResource.__dict__.get("_cli_version"), type(WarehouseDbtCli.__dict__["_cli_version"]))
    assert callable(DbtCliResource.__dict__.get("_initialize_dbt_core_adapter"))
    assert "subprocess.Popen(" in inspect.getsource(dbt_cli_invocation.DbtCliInvocation.run)


def test_dbt_parse_runs_through_the_resource(tmp_path, monkeypatch):
    for name, value in dbt_environment(WarehousePaths(tmp_path)).items():  # what the dbt asset exports
        monkeypatch.setenv(name, value)
    invocation = dbt_resource().cli(["parse", "--quiet"], target_path=tmp_path / "target")
    invocation.wait()
    assert invocation.is_successful()
    assert (tmp_path / "target" / "manifest.json").stat().st_size > 0
    assert dbt_resource()._cli_version.major == 1
    assert isinstance(invocation.process, DbtInThisProcess)


def test_a_failing_command_fails_with_dbts_message(tmp_path, monkeypatch):
    for name, value in dbt_environment(WarehousePaths(tmp_path)).items():
        monkeypatch.setenv(name, value)
    nothing = ["run", "--select", "no_such_model_x"]
    invocation = dbt_resource().cli(nothing, target_path=tmp_path / "t", raise_on_error=False)
    invocation.wait()
    assert invocation.is_successful()  # nothing selected is a success, as in the dbt CLI
    invocation = dbt_resource().cli(["run", "--vars", "{not yaml"], target_path=tmp_path / "t2", raise_on_error=False)
    error = invocation.get_error()
    assert invocation.process.returncode == 2
    assert error is not None and "is not valid YAML" in str(error)  # dbt's message, not only the command
