"""dbt's unit tests (`unit_tests:` in the models' YAML), which a refresh does not run (orchestration.defs.dbt.BUILD).

They run here on an empty warehouse: the raw layer as the feed specs declare it (no rows), every model built
`--empty` (its columns, no rows: what a unit test needs of its parents), and each unit test on its own fixtures.
No refresh, no data: part of `make test-fast`.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

from orchestration import clock, freshness
from orchestration.database import connect
from orchestration.feeds import FEEDS
from orchestration.loading import prepare
from orchestration.raw_views import create_window_view, feed_view_sql
from orchestration.settings import DBT_PROJECT_DIR, WarehousePaths, dbt_environment


def empty_warehouse(root: Path) -> WarehousePaths:
    """A warehouse whose raw layer exists with the feeds' columns and no rows (and the feeds' freshness)."""
    paths = WarehousePaths(root)
    root.mkdir(parents=True, exist_ok=True)
    with connect(paths.warehouse_db) as con:
        for spec in FEEDS.values():
            prepare(spec, con)
            con.execute(feed_view_sql(spec, con))
            if spec.month_column:
                create_window_view(spec, [], con)
        freshness.write(con, clock.today())  # the one raw source that is no feed
    return paths


def test_every_dbt_unit_test_passes(tmp_path):
    paths = empty_warehouse(tmp_path / "warehouse")
    target = tmp_path / "target"
    command = [str(Path(sys.executable).with_name("dbt")), "build", "--empty", "--exclude-resource-type", "test"]
    command += ["--target-path", str(target)]
    env = os.environ | dbt_environment(paths)
    done = subprocess.run(command, cwd=DBT_PROJECT_DIR, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-3000:]
    results = json.loads((target / "run_results.json").read_text())["results"]
    unit = {r["unique_id"]: r["status"] for r in results if r["unique_id"].startswith("unit_test.")}
    declared = json.loads((target / "manifest.json").read_text())["unit_tests"]
    assert set(unit) == set(declared) and len(unit) >= 16, "every unit test of the project ran"
    assert set(unit.values()) == {"pass"}, {k: v for k, v in unit.items() if v != "pass"}
