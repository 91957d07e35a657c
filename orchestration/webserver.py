"""The real `dagster-webserver -w workspace.yaml` over a copy of a published warehouse, for the tests (once per
session, tests/conftest.py) and scripts/screenshots.py: the copy's chart assets materialized in its own DAGSTER_HOME,
the server on a free 127.0.0.1 port (own process group), polled until the code location is LOADED, stopped with its
whole process group. Problems raise WebserverError with the server's log tail."""

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from orchestration.settings import REPO_ROOT, TELEMETRY_OFF

WEBSERVER = Path(sys.executable).with_name("dagster-webserver")  # the running venv's
LOCATION_NAME = "korea_export_warehouse"
STARTUP_TIMEOUT_S = 120
# Talk to 127.0.0.1 directly, never through a proxy from the environment.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))

# Code location load status (LOADING / LOADED) plus the load error, if any.
WORKSPACE_QUERY = """
query WorkspaceStatus {
  workspaceOrError {
    __typename
    ... on Workspace {
      locationEntries {
        name
        loadStatus
        locationOrLoadError {
          __typename
          ... on PythonError { message stack }
        }
      }
    }
    ... on PythonError { message }
  }
}
"""


class WebserverError(RuntimeError):
    """The webserver did not start, died, or answered with an error."""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def graphql(base_url: str, query: str, timeout: float = 30) -> dict:
    request = urllib.request.Request(
        f"{base_url}/graphql",
        data=json.dumps({"query": query}).encode(),
        headers={"Content-Type": "application/json", "Accept": "application/json"},
        method="POST",
    )
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            payload = json.load(response)
    except urllib.error.HTTPError as exc:
        if exc.code >= 500:
            raise  # server not ready / transient: the startup poll retries
        # GraphQL validation errors come back as HTTP 400 with a JSON body: show it.
        raise WebserverError(f"POST /graphql -> HTTP {exc.code}: {exc.read().decode(errors='replace')[:2000]}") from exc
    if payload.get("errors"):
        raise WebserverError(f"GraphQL errors: {payload['errors']}")
    return payload["data"]


def log_tail(log_path: Path, lines: int = 60) -> str:
    if not log_path.exists():
        return "<no log>"
    return "\n".join(log_path.read_text(errors="replace").splitlines()[-lines:])


def location_entry(base_url: str) -> dict | None:
    workspace = graphql(base_url, WORKSPACE_QUERY, timeout=10)["workspaceOrError"]
    if workspace["__typename"] != "Workspace":
        raise WebserverError(f"workspaceOrError: {workspace}")
    entries = {e["name"]: e for e in workspace["locationEntries"]}
    return entries.get(LOCATION_NAME)


def wait_until_loaded(proc: subprocess.Popen, base_url: str, log_path: Path) -> dict:
    """Poll until the code location has finished loading; raise with the log tail if the server dies or stalls."""
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    last_problem = "not polled yet"
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise WebserverError(f"dagster-webserver exited with {proc.returncode}:\n{log_tail(log_path)}")
        try:
            entry = location_entry(base_url)
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError) as exc:
            last_problem = f"not reachable: {exc!r}"
        else:
            if entry is None:
                last_problem = f"location {LOCATION_NAME!r} not in workspace yet"
            elif entry["loadStatus"] == "LOADED":
                return entry
            else:
                last_problem = f"location status {entry['loadStatus']}"
        time.sleep(1)
    raise WebserverError(
        f"dagster-webserver not ready after {STARTUP_TIMEOUT_S}s ({last_problem}):\n{log_tail(log_path)}"
    )


def group_gone(proc: subprocess.Popen, pgid: int, grace: float) -> bool:
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline:
        proc.poll()  # reap the leader so it does not linger as a zombie
        try:
            os.killpg(pgid, 0)  # anyone left in the group?
        except ProcessLookupError:
            return True
        time.sleep(0.2)
    return False


def stop_process_group(proc: subprocess.Popen) -> None:
    """SIGTERM the webserver's whole group (it spawns a gRPC code server), then SIGKILL whatever is left."""
    pgid = proc.pid  # start_new_session=True: the webserver leads its own group
    for sig, grace in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
        try:
            os.killpg(pgid, sig)
        except ProcessLookupError:
            break
        if group_gone(proc, pgid, grace):
            break
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=5)


@dataclass(frozen=True)
class Webserver:
    base_url: str
    warehouse: Path
    dagster_home: Path
    log_path: Path


@contextlib.contextmanager
def serve(published: Path, root: Path, raw_checks: bool = False) -> Iterator[Webserver]:
    """A copy of `published` in `root`, its chart assets (and with `raw_checks` the raw feeds, for their checks)
    materialized in its DAGSTER_HOME, and the webserver on it."""
    import dagster as dg

    from orchestration.defs.raw import RAW_ASSETS
    from orchestration.defs.reports import REPORT_ASSETS
    from orchestration.defs.resources import WarehouseResource

    warehouse, dagster_home, log_path = root / "warehouse", root / "dagster_home", root / "webserver.log"
    warehouse.mkdir(parents=True)
    dagster_home.mkdir()
    for name in ("warehouse.duckdb", "serving.duckdb"):
        shutil.copy2(published / name, warehouse / name)
    shutil.copy(REPO_ROOT / "orchestration" / "dagster.yaml", dagster_home / "dagster.yaml")
    with dg.DagsterInstance.from_config(str(dagster_home)) as instance:
        resources = {"warehouse": WarehouseResource(root=str(warehouse))}
        quiet = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}  # no DEBUG line per event
        # the raw feeds (unchanged files: nothing is read again) for their checks, the charts; raises if one fails
        assets = [*RAW_ASSETS, *REPORT_ASSETS] if raw_checks else REPORT_ASSETS
        dg.materialize(assets, run_config=quiet, resources=resources, instance=instance)
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    # Nothing here may reach beyond 127.0.0.1, proxies included.
    env = {k: v for k, v in os.environ.items() if k.lower() not in {"http_proxy", "https_proxy", "all_proxy"}}
    env.update(TELEMETRY_OFF, WAREHOUSE_DIR=str(warehouse), DAGSTER_HOME=str(dagster_home))
    env.update(NO_PROXY="127.0.0.1,localhost", no_proxy="127.0.0.1,localhost")
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            [str(WEBSERVER), "-w", "workspace.yaml", "-h", "127.0.0.1", "-p", str(port)],
            cwd=REPO_ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_until_loaded(proc, base_url, log_path)
        yield Webserver(base_url, warehouse, dagster_home, log_path)
    finally:
        stop_process_group(proc)


def show_chart(page, base_url: str, chart: str) -> None:
    """On a Playwright `page`: the asset page of `reports/<chart>`, its latest materialization's image opened
    (metadata row `chart`, [Show Markdown]) and loaded."""
    page.goto(f"{base_url}/assets/reports/{chart}", wait_until="load")
    # The one-time community sign-up modal of a fresh instance can open at any moment: Playwright
    # dismisses it ("Skip") whenever it is in the way of an action.
    page.add_locator_handler(page.get_by_role("button", name="Skip"), lambda skip: skip.click())
    page.get_by_text("[Show Markdown]").first.click(timeout=60_000)
    image = page.locator('img[src^="data:image/png;base64,"]').first
    image.wait_for(state="visible", timeout=60_000)
    image.scroll_into_view_if_needed()
    if not image.evaluate("i => i.complete && i.naturalWidth > 0"):
        raise WebserverError(f"the image of reports/{chart} did not load")


def show_check(page, base_url: str, asset: str, check: str) -> None:
    """On a Playwright `page`: the Checks tab of asset `asset` (e.g. `raw/kcs_monthly_partner`), `check` opened."""
    page.goto(f"{base_url}/assets/{asset}?view=checks", wait_until="load")
    page.add_locator_handler(page.get_by_role("button", name="Skip"), lambda skip: skip.click())
    page.get_by_text(check).first.click(timeout=60_000)
    page.get_by_text("Latest execution").first.wait_for(timeout=60_000)
