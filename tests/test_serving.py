"""The publication copies only the marts that changed; the others keep their tables and checksums."""

import json

import duckdb
import pytest

from orchestration.serving import SERVING_SCHEMA, mart_checksum, publish
from orchestration.settings import WarehousePaths

MARTS = {name: {"schema": "marts", "description": f"{name} mart", "columns": {}} for name in ("a", "b", "c")}


def writer(tmp_path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    con.execute("CREATE SCHEMA marts")
    for name, value in (("a", 1.0), ("b", 2.0), ("c", 3.0)):
        con.execute(f"CREATE TABLE marts.{name} AS SELECT range AS id, range * {value} AS v FROM range(100)")
    return con


def served(paths: WarehousePaths) -> dict[str, str]:
    with duckdb.connect(str(paths.serving_db), read_only=True) as con:
        checksums = {name: mart_checksum(con, name) for name in MARTS}
        stored = json.loads(con.execute(f"SELECT checksums FROM {SERVING_SCHEMA}._publication").fetchone()[0])
        columns = con.execute("SELECT column_name FROM duckdb_columns() WHERE table_name = 'b'").fetchall()
    assert stored == checksums
    return checksums | {"b columns": [c for (c,) in columns]}


def test_an_empty_mart_stops_the_publication_unless_its_yaml_says_why_it_may_be_empty(tmp_path):
    con, paths = writer(tmp_path), WarehousePaths(tmp_path)
    publish(con, paths, MARTS, "run-1")
    before = paths.serving_db.read_bytes()
    con.execute("DELETE FROM marts.b")
    with pytest.raises(RuntimeError, match="mart b is empty: not publishing"):
        publish(con, paths, MARTS, "run-2")
    assert paths.serving_db.read_bytes() == before  # the published file untouched
    allowed = MARTS | {"b": MARTS["b"] | {"config": {"meta": {"may_be_empty": "no releases in this warehouse"}}}}
    assert publish(con, paths, allowed, "run-3").row_counts["b"] == 0


def test_only_changed_marts_are_copied_and_the_rest_is_kept(tmp_path):
    con, paths = writer(tmp_path), WarehousePaths(tmp_path)
    first = publish(con, paths, MARTS, "run-1")
    assert first.copied == ["a", "b", "c"]
    before = served(paths)

    con.execute("UPDATE marts.a SET v = v + 1 WHERE id = 7")
    second = publish(con, paths, MARTS, "run-2")
    assert second.copied == ["a"]
    after = served(paths)
    assert after["a"] != before["a"] and after["b"] == before["b"] and after["c"] == before["c"]
    assert after["a"] == mart_checksum(con, "a")

    con.execute("ALTER TABLE marts.b RENAME COLUMN v TO value")  # same values, another column: copied again
    assert publish(con, paths, MARTS, "run-3").copied == ["b"]
    assert served(paths)["b columns"] == ["id", "value"]

    fewer = {name: node for name, node in MARTS.items() if name != "c"}  # a mart gone from the project
    assert publish(con, paths, fewer, "run-4").copied == []
    with duckdb.connect(str(paths.serving_db), read_only=True) as serving:
        tables = serving.execute("SELECT table_name FROM duckdb_tables() ORDER BY 1").fetchall()
    assert [t for (t,) in tables] == ["_publication", "a", "b"]
