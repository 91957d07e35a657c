"""docs/marts.md is generated from the dbt manifest (orchestration/dbt/catalogue.py) and kept in step with the marts'
YAML: it is what the current manifest generates, it changes with a description, and it lists every mart and every
column of each mart's contract (read here from the .sql and .yml files, not from the generator)."""

import copy
import json
import re

import pytest
import yaml

from orchestration.dbt.catalogue import CATALOGUE, render
from orchestration.settings import DBT_MANIFEST, DBT_PROJECT_DIR

MARTS_DIR = DBT_PROJECT_DIR / "models" / "marts"


@pytest.fixture(scope="module")
def manifest() -> dict:
    return json.loads(DBT_MANIFEST.read_text(encoding="utf-8"))


def sections(text: str) -> dict[str, str]:
    """`## <name>` heading -> the text under it."""
    return dict(re.findall(r"^## (\S+)\n(.*?)(?=^## |\Z)", text, re.M | re.S))


def test_the_committed_catalogue_is_what_the_manifest_generates(manifest):
    assert render(manifest) == CATALOGUE.read_text(encoding="utf-8"), (
        "docs/marts.md is out of date with the marts' dbt YAML: run `make docs` (or `make catalogue`, which needs no"
        " refresh) and commit docs/marts.md"
    )


def test_a_changed_column_description_changes_the_catalogue(manifest):
    """So the test above fails when a description in the YAML changes (collapsed to one line, `|` escaped)."""
    changed = copy.deepcopy(manifest)
    column = changed["nodes"]["model.korea_exports.trade_balance"]["columns"]["balance_usd"]
    column["description"] = "A new description | with a pipe,\nover two lines."
    text = render(changed)
    assert text != render(manifest)
    assert "| A new description \\| with a pipe, over two lines. |" in text


def test_every_mart_and_every_contract_column_is_listed():
    models = {m["name"]: m for path in MARTS_DIR.glob("*.yml") for m in yaml.safe_load(path.read_text())["models"]}
    marts = sorted(path.stem for path in MARTS_DIR.glob("*.sql"))
    listed = sections(CATALOGUE.read_text(encoding="utf-8"))
    assert len(marts) > 20
    for mart in marts:
        assert mart in listed, f"{mart} is not in docs/marts.md"
        assert f"- [{mart}](#{mart})" in listed["Contents"]
        columns = [c["name"] for c in models[mart]["columns"]]
        assert columns, f"{mart}: no columns in its YAML"
        assert re.findall(r"^\| `(\w+)` \|", listed[mart], re.M) == columns, mart
