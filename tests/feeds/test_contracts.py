"""Every feed is one unit: its spec, its suite, its dbt source and its sample folder agree.

What docs/feeds.md's "Adding or changing a feed" lists, checked for every entry of FEEDS."""

import pytest
import yaml

from orchestration import freshness
from orchestration.feeds import FEEDS
from orchestration.feeds.reference import ALL_PRODUCTS
from orchestration.settings import DBT_PROJECT_DIR, EXPECTATIONS_DIR, SAMPLE_DIR
from orchestration.validation.gx_suites import suite_spec

SOURCES = yaml.safe_load((DBT_PROJECT_DIR / "models" / "staging" / "_sources.yml").read_text(encoding="utf-8"))
RAW_TABLES = {t["name"]: t for s in SOURCES["sources"] if s["name"] == "raw" for t in s["tables"]}


@pytest.mark.parametrize("feed", FEEDS)
def test_feed_has_a_suite_named_after_it(feed):
    assert (EXPECTATIONS_DIR / f"{feed}.json").is_file()
    assert suite_spec(feed)["name"] == feed


@pytest.mark.parametrize("feed", FEEDS)
def test_dbt_source_lists_the_table_columns_of_the_spec(feed):
    assert feed in RAW_TABLES, f"dbt_project/models/staging/_sources.yml has no raw.{feed}"
    assert [c["name"] for c in RAW_TABLES[feed]["columns"]] == list(FEEDS[feed].table_columns)


@pytest.mark.parametrize("feed", FEEDS)
def test_feed_ships_sample_files(feed):
    assert [p for p in (SAMPLE_DIR / feed).iterdir() if p.is_file()], f"data/sample/{feed}/ is empty or missing"


@pytest.mark.parametrize("feed", FEEDS)
def test_month_column_is_a_date_column_of_the_table(feed):
    spec = FEEDS[feed]
    assert spec.month_column is None or spec.columns.get(spec.month_column) == "DATE"


def test_feeds_are_exactly_the_dbt_sources():
    """Every raw source is a feed, except what the warehouse writes before each build (meta rebuilt_every_build:
    the feeds' freshness, orchestration/freshness.py)."""
    written = {name for name, t in RAW_TABLES.items() if (t.get("meta") or {}).get("rebuilt_every_build")}
    assert written == {freshness.TABLE.removeprefix("raw.")}
    assert set(RAW_TABLES) - written == set(FEEDS)


def test_all_products_code_is_the_same_in_python_and_dbt():
    project = yaml.safe_load((DBT_PROJECT_DIR / "dbt_project.yml").read_text(encoding="utf-8"))
    assert project["vars"]["all_products_hs_code"] == ALL_PRODUCTS
