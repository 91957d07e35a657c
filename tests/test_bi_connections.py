"""BI connections to serving.duckdb, made as the tools make them, and the storage format BI clients need.

SQLAlchemy + duckdb-engine (the path Superset's database and dataset editors take) and the DuckDB CLI come
from the `bi` extra (`pip install -e '.[bi]'`). Every ```sql block of README.md and docs/*.md runs on the
published file and returns rows; the README's CLI and Python examples run verbatim.
"""

import json
import os
import re
import shlex
import subprocess
import sys
import textwrap
import tomllib
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import duckdb
import pytest
from packaging.requirements import Requirement

from orchestration.serving import SERVING_SCHEMA, SERVING_STORAGE_VERSION
from orchestration.settings import REPO_ROOT

VENV = Path(sys.executable).parent.parent  # not resolved: a venv's python is a link to the base interpreter
DUCKDB_CLI = VENV / "bin" / "duckdb"
DOCS = [REPO_ROOT / "README.md", *sorted((REPO_ROOT / "docs").glob("*.md"))]
SQL_BLOCK = re.compile(r"^(?P<indent>[ \t]*)```sql[ \t]*\n(?P<body>.*?)^(?P=indent)```[ \t]*$", re.M | re.S)
# Statements of the docs that legitimately return no row: none so far. Add "file#block.statement": "why".
RETURNS_NO_ROWS: dict[str, str] = {}
# Column types a DuckDB 1.0 client was seen to read in a file written with SERVING_STORAGE_VERSION (checked
# outside the tests with duckdb 1.0.0, 1.1.3 and 1.2.2 wheels). Newer types (VARINT/BIGNUM, TIME_NS, VARIANT…)
# need a newer storage version, and DuckDB does not always refuse to write them in an older one.
TYPES_READ_BY_DUCKDB_1_0 = {"BIGINT", "INTEGER", "DOUBLE", "BOOLEAN", "DATE", "TIMESTAMP", "VARCHAR"}

# Runs in its own process, as a BI server does (DuckDB refuses a second in-process connection to the same file
# with another configuration, and the session's `serving` connection is open).
SQLALCHEMY_PROBE = """
import json, sys, warnings
import sqlalchemy as sa

warnings.simplefilter("ignore")
engine = sa.create_engine(f"duckdb:///{sys.argv[1]}", connect_args={"read_only": True})
inspector = sa.inspect(engine)
out = {"sqlalchemy": sa.__version__, "schemas": inspector.get_schema_names(), "tables": {}}
for table in inspector.get_table_names(schema="marts"):
    out["tables"][table] = {
        "comment": inspector.get_table_comment(table, schema="marts")["text"],
        "columns": [[c["name"], c["comment"]] for c in inspector.get_columns(table, schema="marts")],
    }
metadata = sa.MetaData()
metadata.reflect(engine, schema="marts")  # Table(..., autoload_with=engine): columns, keys, indexes
out["reflected"] = sorted(t.name for t in metadata.tables.values())
with engine.connect() as con:
    out["rows"] = [list(r) for r in con.execute(sa.text(sys.argv[2]))]
    try:
        con.execute(sa.text("CREATE TABLE marts.bi_probe AS SELECT 1 AS x"))
        out["write"] = "succeeded"
    except sa.exc.DBAPIError as error:
        out["write"] = str(error.orig)
print(json.dumps(out))
"""
US_CHINA_2024 = """SELECT partner_code, share FROM marts.destination_share
WHERE frequency = 'year' AND partner_code IN ('USA', 'CHN') AND period_start = DATE '2024-01-01' ORDER BY 1"""


def _run(args: list, cwd: Path | None = None, check: bool = True) -> subprocess.CompletedProcess:
    env = {**os.environ, "HOME": str(cwd or Path.cwd())}  # no ~/.duckdbrc of the user's
    result = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=120)
    if check:
        assert result.returncode == 0, f"{args}: rc {result.returncode}\n{result.stdout}\n{result.stderr}"
    return result


def test_the_bi_extra_is_installed_as_pinned():
    """The clients below are the `bi` extra's; a venv made without it (or with another SQLAlchemy) says so here."""
    extra = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]["bi"]
    for requirement in map(Requirement, extra):
        try:
            installed = version(requirement.name)
        except PackageNotFoundError:
            installed = None
        assert installed and requirement.specifier.contains(installed, prereleases=True), (
            f"{requirement.name} {installed or 'missing'}, the bi extra wants {requirement}: pip install -e '.[bi]'"
        )
    assert version("duckdb-cli") == version("duckdb"), "the DuckDB CLI must be the writer's DuckDB version"


def test_sqlalchemy_lists_the_marts_with_comments_and_reads_only(published, serving):
    out = json.loads(
        _run([sys.executable, "-c", SQLALCHEMY_PROBE, str(published / "serving.duckdb"), US_CHINA_2024]).stdout
    )
    assert "serving.marts" in out["schemas"]  # what Superset lists: <file name>.<schema>
    expected = {}
    for table, column, comment in serving.execute(
        "SELECT table_name, column_name, comment FROM duckdb_columns() WHERE schema_name = ? ORDER BY column_index",
        [SERVING_SCHEMA],
    ).fetchall():
        expected.setdefault(table, []).append([column, comment])
    assert {t: v["columns"] for t, v in out["tables"].items()} == expected, (
        f"SQLAlchemy {out['sqlalchemy']} reflects other columns or comments than the file holds"
    )
    assert all(comment for columns in expected.values() for _, comment in columns), "a mart column has no comment"
    assert all(v["comment"] for v in out["tables"].values()), "a mart has no table comment"
    assert out["reflected"] == sorted(expected)
    assert out["rows"] == [list(r) for r in serving.execute(US_CHINA_2024).fetchall()] and len(out["rows"]) == 2
    assert "read-only" in out["write"], out["write"]


def test_duckdb_cli_of_the_bi_extra_answers_on_the_published_file(published, serving, tmp_path):
    assert DUCKDB_CLI.exists(), f"no {DUCKDB_CLI}: pip install -e '.[bi]'"
    path = str(published / "serving.duckdb")
    version = _run([DUCKDB_CLI, "--version"], cwd=tmp_path).stdout.split()[0]
    assert version == f"v{duckdb.__version__}", "the CLI must be the writer's DuckDB version"
    query = "SELECT count(*) FROM marts.destination_share WHERE partner_code = 'USA'"
    answer = _run([DUCKDB_CLI, "-readonly", "-csv", "-noheader", path, query], cwd=tmp_path).stdout
    assert int(answer) == serving.execute(query).fetchone()[0] > 0
    write = _run([DUCKDB_CLI, "-readonly", path, "CREATE TABLE marts.bi_probe AS SELECT 1"], cwd=tmp_path, check=False)
    assert write.returncode != 0 and "read-only" in write.stderr + write.stdout


def _sql_statements() -> list[tuple[str, str]]:
    """(id, statement) of every ```sql block of README.md and docs/*.md, split by DuckDB's own parser (a
    semicolon inside a comment or a string does not end a statement)."""
    parser, statements = duckdb.connect(), []
    for doc in DOCS:
        for b, block in enumerate(SQL_BLOCK.finditer(doc.read_text(encoding="utf-8")), start=1):
            for s, statement in enumerate(parser.extract_statements(textwrap.dedent(block["body"])), start=1):
                statements.append((f"{doc.relative_to(REPO_ROOT)}#{b}.{s}", statement.query))
    parser.close()
    return statements


SQL_STATEMENTS = _sql_statements()


def test_the_docs_have_sql_to_run():
    assert sum(i.startswith("README.md#") for i, _ in SQL_STATEMENTS) >= 5
    assert any(i.startswith("docs/") for i, _ in SQL_STATEMENTS)


@pytest.mark.parametrize("statement", [s for _, s in SQL_STATEMENTS], ids=[i for i, _ in SQL_STATEMENTS])
def test_sql_of_the_docs_runs_on_the_published_file(serving, statement, request):
    rows = serving.execute(statement).fetchall()
    statement_id = request.node.callspec.id
    if statement_id in RETURNS_NO_ROWS:
        assert rows == [], f"{statement_id} now returns rows: drop it from RETURNS_NO_ROWS"
    else:
        assert rows, f"{statement_id} returns no row:\n{statement}"


def _sandbox(published: Path, tmp_path: Path) -> Path:
    """A directory laid out like a checkout after `make run`: warehouse/ and .venv/ (links)."""
    (tmp_path / "warehouse").symlink_to(published, target_is_directory=True)
    (tmp_path / ".venv").symlink_to(VENV, target_is_directory=True)
    return tmp_path


def _readme_blocks(language: str) -> list[str]:
    """The ```<language> blocks of README.md and docs/bi.md (the pages with CLI and Python examples)."""
    pattern = rf"^(?P<indent>[ \t]*)```{language}[ \t]*\n(?P<body>.*?)^(?P=indent)```[ \t]*$"
    return [
        textwrap.dedent(m["body"])
        for page in (REPO_ROOT / "README.md", REPO_ROOT / "docs" / "bi.md")
        for m in re.finditer(pattern, page.read_text(encoding="utf-8"), re.M | re.S)
    ]


def test_readme_cli_examples_run_verbatim(published, tmp_path):
    """```bash blocks on serving.duckdb that start with the DuckDB CLI run as pasted, in a checkout's root."""
    blocks = [
        block
        for block in _readme_blocks("bash")
        if "serving.duckdb" in block and shlex.split(block, comments=True)[:1] in (["duckdb"], [".venv/bin/duckdb"])
    ]
    assert blocks, "README.md has no DuckDB CLI example on serving.duckdb"
    cwd = _sandbox(published, tmp_path)
    env = {**os.environ, "HOME": str(cwd), "PATH": f"{cwd / '.venv' / 'bin'}:{os.environ['PATH']}"}
    for block in blocks:
        result = subprocess.run(
            ["bash", "-euo", "pipefail", "-c", block], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
        )
        assert result.returncode == 0 and result.stdout.strip(), f"{block}\n{result.stdout}\n{result.stderr}"


def test_readme_python_examples_run_verbatim(published, tmp_path):
    blocks = [block for block in _readme_blocks("python") if "serving.duckdb" in block]
    assert blocks, "README.md has no Python example on serving.duckdb"
    cwd = _sandbox(published, tmp_path)
    for block in blocks:
        assert _run([sys.executable, "-c", block], cwd=cwd).stdout.strip(), f"no output from\n{block}"


def _storage_format(path: Path) -> tuple[int, int]:
    """(storage version number in the main header, serialization compatibility of the active database header):
    the two numbers an older DuckDB checks. Layout: 8-byte checksum, b"DUCK", version; two database headers at
    4096 and 8192 (8-byte checksum, iteration, …, serialization compatibility at byte 56), the newer one active."""
    with path.open("rb") as f:
        head = f.read(3 * 4096)
    assert head[8:12] == b"DUCK", f"{path} is not a DuckDB file"
    headers = [head[offset : offset + 64] for offset in (4096, 8192)]
    active = max(headers, key=lambda h: int.from_bytes(h[8:16], "little"))
    return int.from_bytes(head[12:20], "little"), int.from_bytes(active[56:64], "little")


def _reference_file(path: Path, storage_version: str | None) -> tuple[tuple[int, int], str]:
    """The format of a small file this DuckDB writes with `storage_version` (None: its default), and the storage
    version DuckDB then reports for it."""
    con = duckdb.connect()
    option = f" (STORAGE_VERSION '{storage_version}')" if storage_version else ""
    con.execute(f"ATTACH '{path}' AS reference{option}")
    con.execute("CREATE TABLE reference.t AS SELECT 1 AS x")
    con.execute("DETACH reference")
    con.execute(f"ATTACH '{path}' AS reference (READ_ONLY)")
    tag = con.execute(STORAGE_TAG, ["reference"]).fetchone()[0]
    con.close()
    return _storage_format(path), tag


STORAGE_TAG = "SELECT tags['storage_version'] FROM duckdb_databases() WHERE database_name = ?"


def test_serving_file_is_written_in_the_pinned_storage_version(published, serving, tmp_path):
    """Compared with a file this DuckDB writes as SERVING_STORAGE_VERSION: header fields, so that a new writer
    DuckDB (whose default format no 1.x client reads) is caught, and without old DuckDB builds (no network)."""
    pinned, pinned_tag = _reference_file(tmp_path / "pinned.duckdb", SERVING_STORAGE_VERSION)
    default, _ = _reference_file(tmp_path / "default.duckdb", None)
    assert pinned != default, "this check cannot tell the pinned storage version from this DuckDB's default"
    published_format = _storage_format(published / "serving.duckdb")
    assert published_format == pinned, f"serving.duckdb is {published_format}, {SERVING_STORAGE_VERSION} is {pinned}"
    tag = serving.execute(STORAGE_TAG, [serving.execute("SELECT current_database()").fetchone()[0]]).fetchone()[0]
    assert tag == pinned_tag, (
        f"DuckDB reports serving.duckdb as {tag}, a {SERVING_STORAGE_VERSION} file as {pinned_tag}"
    )


def test_marts_use_only_types_the_pinned_storage_version_serves(serving):
    types = {
        t
        for (t,) in serving.execute(
            "SELECT DISTINCT data_type FROM duckdb_columns() WHERE schema_name = ?", [SERVING_SCHEMA]
        ).fetchall()
    }
    assert types <= TYPES_READ_BY_DUCKDB_1_0, (
        f"new column types {types - TYPES_READ_BY_DUCKDB_1_0}: check that a DuckDB {SERVING_STORAGE_VERSION} "
        "client reads them in serving.duckdb, then add them here (or raise SERVING_STORAGE_VERSION)"
    )
