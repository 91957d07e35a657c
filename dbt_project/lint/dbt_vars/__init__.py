"""sqlfluff's jinja templater library (`library_path` in .sqlfluff): dbt's `var()` with the values of
dbt_project.yml, so that the linter sees the SQL dbt renders (the real lists and numbers) instead of
sqlfluff's `item` placeholder, and an unknown var fails the lint as it fails dbt. Every other dbt
builtin (ref, source, config, is_incremental, this) is sqlfluff's own `apply_dbt_builtins` stub, except
`adapter.dispatch` and `return`, which render the `default__` (DuckDB) macro as dbt-duckdb does.
Every public name here becomes a Jinja global, hence the underscores."""

from functools import cache as _cache
from pathlib import Path as _Path

import yaml as _yaml
from jinja2 import pass_context as _pass_context

_DBT_PROJECT = _Path(__file__).resolve().parents[2] / "dbt_project.yml"
_UNSET = object()


@_cache
def _project_vars() -> dict:
    return _yaml.safe_load(_DBT_PROJECT.read_text(encoding="utf-8")).get("vars") or {}


def var(name: str, default=_UNSET):
    """The var's value in dbt_project.yml, else `default` (as on a full refresh: no --vars)."""
    if name in _project_vars():
        return _project_vars()[name]
    if default is _UNSET:
        raise KeyError(f"dbt var {name!r} is not defined in dbt_project.yml and has no default")
    return default


class _Adapter:
    @_pass_context
    def dispatch(self, context, macro_name: str, macro_namespace: str | None = None):
        """The project's `default__<macro_name>`, the macro dbt-duckdb dispatches to."""
        return context.resolve(f"default__{macro_name}")


adapter = _Adapter()
globals()["return"] = str  # dbt's return(): here the value is the macro's rendered output

# dbt's `graph` (the project's nodes), known to dbt only at execution: empty here, so a test that loops over it
# (assert_no_mart_column_is_null_in_every_row) lints the statement it renders for no nodes.
graph = {"nodes": {}}
