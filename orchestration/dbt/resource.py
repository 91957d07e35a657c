"""The dbt resource: dagster-dbt's, with dbt run in this process and two fixed costs per run it does not need.

dagster-dbt starts dbt as a subprocess and reads its JSON log lines; the subprocess pays Python's and dbt's
start-up on every build (~3.5 s of a ~12 s monthly build). Here `cli()` runs the same command with dbt's
programmatic runner (dbtRunner) in this process, where dbt is already imported, and hands dagster-dbt the same
JSON lines (dbt's events, through a callback) as the finished "process" it reads (DbtInThisProcess). Everything
else (selection, target path, environment, events, asset checks, errors) is dagster-dbt's own code.

These are private seams of dagster-dbt, overridden here only; dagster-dbt is pinned (pyproject.toml, 0.29.27)
and tests/dbt/test_resource.py fails if an upgrade moves them or breaks a real build through this resource:
- `cli()` swaps the `subprocess` module that `DbtCliInvocation.run` starts dbt with, for that call only;
- `_cli_version`: dagster-dbt runs `dbt --version` in a subprocess on every run; the dbt-core of this
  venv is the one that runs, so its package version is the answer;
- `_initialize_dbt_core_adapter`: dagster-dbt builds an in-process dbt adapter on every run, used only by
  `fetch_row_counts()` / `fetch_column_metadata()`. Returning None disables those two helpers; this project
  does not call them (row counts come from the publication instead).
"""

import contextlib
import importlib.metadata
import io
import os
import subprocess
import sys
from collections.abc import Iterator, Mapping
from functools import cached_property
from pathlib import Path
from types import SimpleNamespace
from unittest import mock

import orjson
from dagster_dbt import DbtCliResource
from dagster_dbt.core import dbt_cli_invocation
from packaging import version

from orchestration.dbt.project import DBT_PROJECT

# dbt's own printing and its dbt.log are off: every event reaches dagster-dbt (and the run's log) by the callback
QUIET = {"DBT_LOG_LEVEL": "none", "DBT_LOG_LEVEL_FILE": "none"}


@contextlib.contextmanager
def _environment(env: Mapping[str, str]) -> Iterator[None]:
    """os.environ is `env` while dbt runs (what a subprocess would have been given), then as it was."""
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


class DbtInThisProcess:
    """A dbt command run to its end by dbtRunner in this process, shaped as the `subprocess.Popen` dagster-dbt reads:
    `args`, `stdout` (dbt's events as the JSON lines `dbt --log-format json` prints, debug level left out as
    dbt's console does), `wait()`, `returncode` (0 success, 1 failed nodes, 2 an error, as the dbt CLI's)."""

    def __init__(self, args: list[str], env: Mapping[str, str], **_popen_kwargs) -> None:
        from dbt.cli.main import dbtRunner
        from dbt_common.events.functions import msg_to_json

        self.args = args
        lines: list[bytes] = []

        def keep(msg) -> None:  # called from dbt's threads; list.append is atomic
            if msg.info.level != "debug":
                lines.append(msg_to_json(msg).encode())

        with _environment({**env, **QUIET}):
            try:
                result = dbtRunner(callbacks=[keep]).invoke(args[1:])
            finally:
                _close_duckdb()
        self.returncode = 0 if result.success else 1 if result.exception is None else 2
        if result.exception is not None and not any(b'"level": "error"' in line for line in lines):
            lines.append(orjson.dumps(_error_event(result.exception)))
        self.stdout = io.BytesIO(b"\n".join(lines))

    def wait(self, timeout: float | None = None) -> int:
        return self.returncode

    def send_signal(self, signal: int) -> None:  # dbt has already finished when dagster-dbt could interrupt it
        pass


def _close_duckdb() -> None:
    """Close the database dbt-duckdb keeps open in this process after a command: the refresh opens the same file
    next, with its own settings (DuckDB refuses a second configuration of an open file)."""
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager
    from dbt.adapters.factory import cleanup_connections

    cleanup_connections()
    with DuckDBConnectionManager._LOCK:
        if DuckDBConnectionManager._ENV is not None:
            DuckDBConnectionManager._ENV.close()
        DuckDBConnectionManager.close_all_connections()


def _error_event(exception: BaseException) -> dict:
    """An exception dbtRunner returned without an error event (e.g. a bad flag), as the line the dbt CLI prints for
    it: dagster-dbt reports a command's error lines."""
    message = str(exception).strip() or type(exception).__name__
    return {"info": {"name": "MainEncounteredError", "level": "error", "msg": message}, "data": {"exc": message}}


IN_THIS_PROCESS = SimpleNamespace(Popen=DbtInThisProcess, PIPE=subprocess.PIPE, STDOUT=subprocess.STDOUT)


class WarehouseDbtCli(DbtCliResource):
    def cli(self, args, **kwargs) -> dbt_cli_invocation.DbtCliInvocation:
        """dagster-dbt's `cli()`, with dbt run in this process (module docstring)."""
        with mock.patch.object(dbt_cli_invocation, "subprocess", IN_THIS_PROCESS):
            return super().cli(args, **kwargs)

    @cached_property
    def _cli_version(self) -> version.Version:
        return version.parse(importlib.metadata.version("dbt-core"))

    def _initialize_dbt_core_adapter(self, args):
        return None


def dbt_resource() -> WarehouseDbtCli:
    """The dbt next to this interpreter (the project's venv), whatever PATH says."""
    return WarehouseDbtCli(project_dir=DBT_PROJECT, dbt_executable=str(Path(sys.executable).parent / "dbt"))
