"""Shared fixtures: one real refresh per test session, and disposable copies of its warehouse."""

import fcntl
import os
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest

from orchestration import clock
from tests.helpers import refresh
from tests.republished import Republished, republish
from tests.webserver import Webserver, serve


def pytest_configure(config):
    """Every test runs on an injected clock (orchestration.clock): today's date, or WAREHOUSE_TODAY if it is set (a
    year ahead proves that no test depends on the date: `WAREHOUSE_TODAY=2027-12-07 make test`). A test that means a
    date sets it; code that reads the real clock instead raises."""
    os.environ.setdefault(clock.TODAY, datetime.now(UTC).date().isoformat())
    os.environ[clock.REQUIRED] = "1"


# groups of the longest tests (a refresh each, several, or a stress run)
LONGEST_FIRST = ("tests/test_operations.py", "tests/dbt/test_unit_tests.py", "tests/test_scale.py", "republished")


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist's worker reads the groups
def pytest_collection_modifyitems(items):
    """Mark `refresh` every test that needs the session's refresh (fixtures published, serving, warehouse,
    republished) or is marked so itself (a server, its own refresh): `make test-fast` runs the others
    (`-m "not refresh"`). With pytest-xdist (`--dist loadgroup`), a module's tests run on one worker, and every
    test of the shared second publication (or of the webserver) on one worker too, so each is built once."""
    groups = {}
    for item in items:
        fixtures = getattr(item, "fixturenames", ())
        if "published" in fixtures:
            item.add_marker(pytest.mark.refresh)
        shared = [name for name in ("republished", "webserver") if name in fixtures]
        groups[item] = shared[0] if shared else item.nodeid.split("::")[0]
        item.add_marker(pytest.mark.xdist_group(groups[item]))
    # the longest groups first, in this order: a worker that picks one up last keeps the whole run waiting (and the
    # second one, needing no refresh, keeps the other worker busy while the first builds the published warehouse)
    items.sort(
        key=lambda item: LONGEST_FIRST.index(groups[item]) if groups[item] in LONGEST_FIRST else len(LONGEST_FIRST)
    )


@pytest.fixture(scope="session")
def published(tmp_path_factory) -> Path:
    """A warehouse directory after a successful full refresh on the shipped sample data, built once per test run:
    under pytest-xdist the first worker builds it in the run's shared temp dir, the other waits on a lock and reads
    it (no test writes it: `warehouse` copies it)."""
    run_dir = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        run_dir = run_dir.parent  # pytest-N/, shared by this run's workers (popen-gw0/, popen-gw1/)
    root = run_dir / "published"
    with (run_dir / "published.lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (root / "serving.duckdb").exists():
            root.mkdir(exist_ok=True)
            result = refresh(root)
            assert result.success, "the sample-data refresh failed"
    return root


@pytest.fixture(scope="session")
def serving(published):
    """Read-only connection to the published serving.duckdb, as a BI tool would open it."""
    con = duckdb.connect(str(published / "serving.duckdb"), read_only=True)
    yield con
    con.close()


@pytest.fixture(scope="session")
def republished(published, tmp_path_factory) -> Republished:
    """A copy of the published warehouse after a second refresh of independent good files (tests/republished.py)."""
    result = republish(published, tmp_path_factory.mktemp("republished") / "warehouse")
    assert result.code == 0, "the second refresh failed:\n" + "\n".join(result.out + result.err)
    return result


@pytest.fixture(scope="session")
def webserver(published, tmp_path_factory) -> Iterator[Webserver]:
    """The one `dagster-webserver` of the test session (tests/webserver.py), over a copy of the published warehouse."""
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
