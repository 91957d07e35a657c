"""A dbt project parsed again unchanged is the same project; any real change is a new one (a full rebuild)."""

import json
import shutil

from orchestration.dbt.fingerprint import manifest_fingerprint
from orchestration.settings import DBT_MANIFEST, DBT_PROJECT_DIR


def copy_project(tmp_path):
    (tmp_path / "target").mkdir()
    shutil.copy(DBT_PROJECT_DIR / "dbt_project.yml", tmp_path / "dbt_project.yml")
    manifest = json.loads(DBT_MANIFEST.read_text(encoding="utf-8"))
    return tmp_path / "target" / "manifest.json", manifest


def test_parse_times_do_not_change_the_fingerprint_but_code_and_vars_do(tmp_path):
    path, manifest = copy_project(tmp_path)
    path.write_text(json.dumps(manifest))
    original = manifest_fingerprint(path)
    assert original == manifest_fingerprint(DBT_MANIFEST)

    manifest["metadata"]["generated_at"] = manifest["metadata"]["invocation_id"] = "another parse"
    for node in manifest["nodes"].values():
        node["created_at"] = 1.0
    path.write_text(json.dumps(manifest))
    assert manifest_fingerprint(path) == original

    node = manifest["nodes"]["model.korea_exports.destination_share"]
    node["raw_code"] += "\n-- changed"
    path.write_text(json.dumps(manifest))
    changed = manifest_fingerprint(path)
    assert changed != original

    project = tmp_path / "dbt_project.yml"
    project.write_text(project.read_text() + "\n# a var changed\n")
    assert manifest_fingerprint(path) not in (original, changed)
