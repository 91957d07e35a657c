"""Shared fixtures: one real refresh per test session, and disposable copies of its warehouse."""

import hashlib
import os
import shutil
from pathlib import Path

import duckdb
import pytest

os.environ.update(DBT_SEND_ANONYMOUS_USAGE_STATS="false", DO_NOT_TRACK="1", GX_ANALYTICS_ENABLED="false")
os.environ.pop("DAGSTER_HOME", None)  # tests run on ephemeral Dagster instances
os.environ.pop("WAREHOUSE_SAMPLE_DIR", None)

FIXTURES = Path(__file__).parent / "fixtures"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def refresh(warehouse_dir: Path):
    """Run the refresh job in this process against `warehouse_dir`."""
    from orchestration.cli import run_refresh

    os.environ["WAREHOUSE_DIR"] = str(warehouse_dir)
    return run_refresh()


@pytest.fixture(scope="session")
def published(tmp_path_factory) -> Path:
    """A warehouse directory after a successful full refresh on the shipped sample data."""
    root = tmp_path_factory.mktemp("published")
    result = refresh(root)
    assert result.success, "the sample-data refresh failed"
    return root


@pytest.fixture(scope="session")
def serving(published):
    """Read-only connection to the published serving.duckdb, as a BI tool would open it."""
    con = duckdb.connect(str(published / "serving.duckdb"), read_only=True)
    yield con
    con.close()


@pytest.fixture
def warehouse(published, tmp_path, monkeypatch) -> Path:
    """A private copy of the published warehouse (writer file + serving file), for runs that change it."""
    root = tmp_path / "warehouse"
    root.mkdir()
    for name in ("warehouse.duckdb", "serving.duckdb"):
        shutil.copy2(published / name, root / name)
    monkeypatch.setenv("WAREHOUSE_DIR", str(root))
    return root


def drop(warehouse: Path, feed: str, name: str, content: str | bytes) -> Path:
    """Put a file into the landing directory of `feed`."""
    path = warehouse / "landing" / feed / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path
