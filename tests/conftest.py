"""Shared fixtures: one real refresh per test session, and disposable copies of its warehouse."""

import shutil
from pathlib import Path

import duckdb
import pytest

from tests.helpers import refresh


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
def warehouse(published, tmp_path) -> Path:
    """A private copy of the published warehouse (writer file + serving file), for runs that change it."""
    root = tmp_path / "warehouse"
    root.mkdir()
    for name in ("warehouse.duckdb", "serving.duckdb"):
        shutil.copy2(published / name, root / name)
    return root
