"""The dbt project and its manifest: `python -m orchestration.dbt.project` (what `make` runs) parses it.

The manifest is parsed under the environment every refresh has (`settings.dbt_environment`: the writer's
file and DuckDB's settings are part of dbt's profile): a manifest parsed under another profile makes dbt
re-parse the whole project on every refresh (~3 s) instead of reusing it.
"""

import json
import subprocess
import sys
from functools import cache

from dagster_dbt import DbtProject
from dagster_dbt.dbt_project import using_dagster_dev

from orchestration.dbt.fingerprint import manifest_fingerprint
from orchestration.settings import DBT_PROJECT_DIR, WarehousePaths, export_for_dbt

DBT_PROJECT = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)


def prepare(paths: WarehousePaths) -> None:
    """`dbt parse` in a subprocess: writes the manifest Dagster builds its dbt assets from."""
    export_for_dbt(paths)
    subprocess.run(
        [
            sys.executable,
            "-c",
            "from dbt.cli.main import cli; cli()",
            "parse",
            "--quiet",
            "--project-dir",
            str(DBT_PROJECT_DIR),
            "--profiles-dir",
            str(DBT_PROJECT_DIR),
        ],
        check=True,
    )


def prepare_if_dev() -> None:
    """Parse when the manifest is missing (a fresh clone), and always under `dagster dev` / `dg dev`, so the
    UI never shows or runs a stale project; elsewhere `make` parses it when a dbt file changes."""
    if using_dagster_dev() or not DBT_PROJECT.manifest_path.exists():
        prepare(WarehousePaths.from_env())


@cache
def manifest() -> dict:
    """The parsed manifest (prepared first if needed)."""
    prepare_if_dev()
    return json.loads(DBT_PROJECT.manifest_path.read_text(encoding="utf-8"))


def manifest_sha256() -> str:
    """Identifies the dbt project a build ran: a changed project means a full rebuild."""
    return manifest_fingerprint(DBT_PROJECT.manifest_path)


def mart_models() -> dict[str, dict]:
    """Mart name -> manifest node (the models published to serving.duckdb)."""
    return {
        n["name"]: n for n in manifest()["nodes"].values() if n["resource_type"] == "model" and n["fqn"][1] == "marts"
    }


if __name__ == "__main__":
    prepare(WarehousePaths.from_env())


def not_downstream_of(feeds: tuple[str, ...]) -> list[str]:
    """dbt selectors of every model, seed, data test and unit test that no raw feed of `feeds` feeds into (via
    the manifest's child map; a test is downstream if any model it tests is), parents before children. A raw source
    with meta `rebuilt_every_build` (written before every build, e.g. `_feed_freshness`) counts as changed."""
    nodes, parents = manifest()["nodes"] | manifest()["unit_tests"], manifest()["parent_map"]
    todo = [
        uid
        for uid, s in manifest()["sources"].items()
        if s["source_name"] == "raw" and (s["name"] in feeds or s["meta"].get("rebuilt_every_build"))
    ]
    downstream = set()
    while todo:
        uid = todo.pop()
        if uid not in downstream:
            downstream.add(uid)
            todo += manifest()["child_map"].get(uid, [])
    downstream |= {uid for uid, n in manifest()["unit_tests"].items() if set(n["depends_on"]["nodes"]) & downstream}

    @cache
    def depth(uid: str) -> int:
        return 1 + max((depth(p) for p in parents.get(uid, []) if p in nodes), default=0)

    unaffected = [
        uid
        for uid, n in nodes.items()
        if uid not in downstream and n["resource_type"] in ("model", "seed", "test", "snapshot", "unit_test")
    ]
    return [
        f"unit_test:{nodes[uid]['name']}" if nodes[uid]["resource_type"] == "unit_test" else nodes[uid]["name"]
        for uid in sorted(unaffected, key=lambda uid: (depth(uid), uid))
    ]
