"""Shared fixtures: one real refresh per test session, and disposable copies of its warehouse."""

import contextlib
import fcntl
import os
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest

from orchestration import clock
from orchestration.webserver import Webserver, serve
from tests.helpers import refresh
from tests.republished import Republished, republish


def pytest_configure(config):
    """Every test runs on an injected clock (orchestration.clock): today's date, or WAREHOUSE_TODAY if it is set (a
    year ahead proves that no test depends on the date: `WAREHOUSE_TODAY=2027-12-07 make test`). A test that means a
    date sets it; code that reads the real clock instead raises."""
    os.environ.setdefault(clock.TODAY, datetime.now(UTC).date().isoformat())
    os.environ[clock.REQUIRED] = "1"


# modules of the longest tests (a refresh each, several, or a stress run), started first in this order: a worker
# that picks one up last keeps the whole run waiting, and the second (no refresh) keeps the other worker busy while
# the first builds the published warehouse. `make test` distributes whole modules (pytest-xdist `--dist loadscope`).
LONGEST_FIRST = ("tests/test_operations.py", "tests/dbt/test_unit_tests.py", "tests/test_scale.py")


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    """Mark `refresh` every test that needs the session's refresh (fixtures published, serving, warehouse,
    republished, webserver): `make test-fast` runs the others (`-m "not refresh"`). Then the longest modules first."""
    for item in items:
        if "published" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.refresh)

    def rank(item) -> int:
        module = item.nodeid.split("::")[0]
        return LONGEST_FIRST.index(module) if module in LONGEST_FIRST else len(LONGEST_FIRST)

    items.sort(key=rank)


@contextlib.contextmanager
def built_once(tmp_path_factory, name: str) -> Iterator[tuple[Path, bool]]:
    """`<run dir>/<name>` and whether this process must build it: under pytest-xdist the workers share the run's
    temp dir (pytest-N/, theirs are pytest-N/popen-gwX/); the first builds it under a lock, the others wait and read
    it. Nothing writes a built directory afterwards (tests copy it)."""
    run_dir = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        run_dir = run_dir.parent
    with (run_dir / f"{name}.lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        done = run_dir / f"{name}.done"
        yield run_dir / name, not done.exists()
        done.touch()


@pytest.fixture(scope="session")
def published(tmp_path_factory) -> Path:
    """A warehouse directory after a successful full refresh on the shipped sample data, built once per run."""
    with built_once(tmp_path_factory, "published") as (root, build):
        if build:
            root.mkdir(exist_ok=True)
            assert refresh(root).success, "the sample-data refresh failed"
    return root


@pytest.fixture(scope="session")
def serving(published):
    """Read-only connection to the published serving.duckdb, as a BI tool would open it."""
    con = duckdb.connect(str(published / "serving.duckdb"), read_only=True)
    yield con
    con.close()


@pytest.fixture(scope="session")
def republished(published, tmp_path_factory) -> Republished:
    """A copy of the published warehouse after a second refresh of independent good files (tests/republished.py),
    built once per run."""
    with built_once(tmp_path_factory, "republished") as (root, build):
        if build:
            republish(published, root)
    result = Republished.of(root)
    assert result.code == 0, "the second refresh failed:\n" + "\n".join(result.out + result.err)
    return result


@pytest.fixture(scope="session")
def webserver(published, tmp_path_factory) -> Iterator[Webserver]:
    """The one `dagster-webserver` of the test session (orchestration/webserver.py), over a copy of the published
    warehouse."""
    with serve(published, tmp_path_factory.mktemp("webserver")) as server:
        yield server


@pytest.fixture
def warehouse(published, tmp_path) -> Path:
    """A private copy of the published warehouse (writer file + serving file), for runs that change it."""
    root = tmp_path / "warehouse"
    root.mkdir()
    for name in ("warehouse.duckdb", "serving.duckdb"):
        shutil.copy2(published / name, root / name)
    return root
