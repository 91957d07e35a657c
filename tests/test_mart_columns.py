"""No published column is NULL in every row of its mart (issue 22): a column that is always NULL tells a BI user
nothing. Checked here from serving.duckdb's own catalog (what a BI tool sees), independently of the dbt test
assert_no_mart_column_is_null_in_every_row, and that dbt test is shown to name such a column when there is one."""

import os
import re
import subprocess
import sys
from pathlib import Path

import duckdb
import yaml

from orchestration.settings import DBT_PROJECT_DIR, WarehousePaths, dbt_environment

DBT_TEST = "assert_no_mart_column_is_null_in_every_row"
ALLOWED = yaml.safe_load((DBT_PROJECT_DIR / "dbt_project.yml").read_text())["vars"][
    "mart_columns_null_in_every_row_allowed"
]


def columns_null_in_every_row(con) -> dict[str, set[str]]:
    """Per mart of schema `marts`, the columns without a single value (read from information_schema)."""
    found = {}
    tables = con.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = 'marts'").fetchall()
    for (table,) in tables:
        columns = [
            name
            for (name,) in con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_schema = 'marts' AND table_name = ?"
                " ORDER BY ordinal_position",
                [table],
            ).fetchall()
        ]
        counts = con.execute(
            "SELECT " + ", ".join(f'count("{c}")' for c in columns) + f" FROM marts.{table}"
        ).fetchone()
        if empty := {c for c, n in zip(columns, counts, strict=True) if n == 0}:
            found[table] = empty
    return found


def test_no_served_column_is_null_in_every_row_but_the_allowed_ones(serving):
    """Every column of every served mart has a value in some row; the only exceptions are those of dbt var
    mart_columns_null_in_every_row_allowed (none today)."""
    assert columns_null_in_every_row(serving) == {mart: set(cols) for mart, cols in ALLOWED.items()}


def test_the_dbt_test_reads_every_mart():
    """The test's written-out list of marts is the models of models/marts/ (a new mart must be added to it)."""
    sql = (DBT_PROJECT_DIR / "tests" / f"{DBT_TEST}.sql").read_text()
    listed = set(re.findall(r"'([a-z0-9_]+)'", re.search(r"set marts = \[(.*?)\]", sql, re.S).group(1)))
    assert listed == {p.stem for p in (DBT_PROJECT_DIR / "models" / "marts").glob("*.sql")}


def test_the_dbt_test_names_the_columns_null_in_every_row(warehouse: Path, tmp_path: Path):
    """On a copy of the warehouse where three columns of investment_and_exports are emptied, the dbt test (compiled by
    dbt on that copy, so from dbt's graph), with one of them allowed by the var, returns exactly one row: the mart and
    the other two columns."""
    with duckdb.connect(str(warehouse / "warehouse.duckdb")) as con:
        con.execute("UPDATE marts.investment_and_exports SET ofdi_basis = NULL, exports_source = NULL")
        con.execute("UPDATE marts.investment_and_exports SET ofdi_publisher = NULL")
    command = [str(Path(sys.executable).with_name("dbt")), "compile", "-q", "--select", DBT_TEST]
    command += ["--target-path", str(tmp_path / "target"), "--log-path", str(tmp_path / "logs")]
    command += ["--vars", '{"mart_columns_null_in_every_row_allowed": {"investment_and_exports": ["ofdi_publisher"]}}']
    env = os.environ | dbt_environment(WarehousePaths(warehouse))
    subprocess.run(command, cwd=DBT_PROJECT_DIR, env=env, capture_output=True, text=True, check=True)
    compiled = next((tmp_path / "target" / "compiled").rglob(f"{DBT_TEST}.sql")).read_text()
    with duckdb.connect(str(warehouse / "warehouse.duckdb"), read_only=True) as con:
        assert con.execute(compiled).fetchall() == [("investment_and_exports", "ofdi_basis, exports_source")]
