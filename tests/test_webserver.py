"""End-to-end: `dagster-webserver -w workspace.yaml` loads the code location and lists every definition.

Starts the real webserver on a free 127.0.0.1 port (own process group, temp WAREHOUSE_DIR / DAGSTER_HOME),
waits until the code location is LOADED, then compares what the GraphQL API reports with
`orchestration.definitions.build_defs`.
"""

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from orchestration.definitions import build_defs
from orchestration.defs.resources import WarehouseResource
from orchestration.settings import TELEMETRY_OFF

REPO_ROOT = Path(__file__).resolve().parents[1]
WEBSERVER = REPO_ROOT / ".venv" / "bin" / "dagster-webserver"
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

# Every asset node in each repository (key, group, checks) and the repository's jobs, schedules, sensors.
REPOSITORIES_QUERY = """
query RepositoryContents {
  repositoriesOrError {
    __typename
    ... on RepositoryConnection {
      nodes {
        name
        location { name }
        jobs { name }
        schedules { name }
        sensors { name }
        assetNodes {
          assetKey { path }
          groupName
          assetChecksOrError {
            __typename
            ... on AssetChecks { checks { name assetKey { path } } }
            ... on Error { message }
          }
        }
      }
    }
    ... on Error { message }
  }
}
"""


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _graphql(base_url: str, query: str, timeout: float = 30) -> dict:
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
        pytest.fail(f"POST /graphql -> HTTP {exc.code}: {exc.read().decode(errors='replace')[:2000]}")
    assert not payload.get("errors"), f"GraphQL errors: {payload['errors']}"
    return payload["data"]


def _log_tail(log_path: Path, lines: int = 60) -> str:
    if not log_path.exists():
        return "<no log>"
    return "\n".join(log_path.read_text(errors="replace").splitlines()[-lines:])


def _location_entry(base_url: str) -> dict | None:
    workspace = _graphql(base_url, WORKSPACE_QUERY, timeout=10)["workspaceOrError"]
    assert workspace["__typename"] == "Workspace", f"workspaceOrError: {workspace}"
    entries = {e["name"]: e for e in workspace["locationEntries"]}
    return entries.get(LOCATION_NAME)


def _wait_until_loaded(proc: subprocess.Popen, base_url: str, log_path: Path) -> dict:
    """Poll until the code location has finished loading; fail with the log tail if the server dies or stalls."""
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    last_problem = "not polled yet"
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"dagster-webserver exited with {proc.returncode}:\n{_log_tail(log_path)}")
        try:
            entry = _location_entry(base_url)
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
    pytest.fail(f"dagster-webserver not ready after {STARTUP_TIMEOUT_S}s ({last_problem}):\n{_log_tail(log_path)}")


def _group_gone(proc: subprocess.Popen, pgid: int, grace: float) -> bool:
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline:
        proc.poll()  # reap the leader so it does not linger as a zombie
        try:
            os.killpg(pgid, 0)  # anyone left in the group?
        except ProcessLookupError:
            return True
        time.sleep(0.2)
    return False


def _stop_process_group(proc: subprocess.Popen) -> None:
    """SIGTERM the webserver's whole group (it spawns a gRPC code server), then SIGKILL whatever is left."""
    pgid = proc.pid  # start_new_session=True: the webserver leads its own group
    for sig, grace in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
        try:
            os.killpg(pgid, sig)
        except ProcessLookupError:
            break
        if _group_gone(proc, pgid, grace):
            break
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=5)


def _key(path: list[str]) -> str:
    return "/".join(path)


def test_webserver_lists_every_definition(tmp_path):
    warehouse_dir = tmp_path / "warehouse"
    dagster_home = tmp_path / "dagster_home"
    warehouse_dir.mkdir()
    dagster_home.mkdir()
    shutil.copy(REPO_ROOT / "orchestration" / "dagster.yaml", dagster_home / "dagster.yaml")
    settings = {"WAREHOUSE_DIR": str(warehouse_dir), "DAGSTER_HOME": str(dagster_home), **TELEMETRY_OFF}

    # Expected: what the code location defines for that warehouse.
    asset_graph = build_defs(WarehouseResource(root=str(warehouse_dir))).resolve_asset_graph()
    expected_assets = {key.to_user_string() for key in asset_graph.get_all_asset_keys()}
    expected_checks = {(check.asset_key.to_user_string(), check.name) for check in asset_graph.asset_check_keys}
    assert expected_assets and expected_checks

    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    log_path = tmp_path / "webserver.log"
    # Nothing here may reach beyond 127.0.0.1, proxies included.
    env = {k: v for k, v in os.environ.items() if k.lower() not in {"http_proxy", "https_proxy", "all_proxy"}}
    env.update(settings, NO_PROXY="127.0.0.1,localhost", no_proxy="127.0.0.1,localhost")

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
        entry = _wait_until_loaded(proc, base_url, log_path)
        location = entry["locationOrLoadError"]
        assert location is not None and location["__typename"] == "RepositoryLocation", (
            f"code location {LOCATION_NAME!r} failed to load: {(location or {}).get('message')}\n"
            f"{''.join((location or {}).get('stack') or [])}"
        )

        repositories = _graphql(base_url, REPOSITORIES_QUERY)["repositoriesOrError"]
        assert repositories["__typename"] == "RepositoryConnection", f"repositoriesOrError: {repositories}"
        repos = [r for r in repositories["nodes"] if r["location"]["name"] == LOCATION_NAME]
        assert len(repos) == 1, f"expected one repository in {LOCATION_NAME!r}, got {[r['name'] for r in repos]}"
        repo = repos[0]

        nodes = repo["assetNodes"]
        listed_assets = {_key(n["assetKey"]["path"]) for n in nodes}
        assert len(listed_assets) == len(nodes), "duplicate asset nodes"
        assert listed_assets == expected_assets, (
            f"missing from webserver: {sorted(expected_assets - listed_assets)}; "
            f"unexpected: {sorted(listed_assets - expected_assets)}"
        )

        listed_checks = set()
        for node in nodes:
            checks = node["assetChecksOrError"]
            assert checks["__typename"] == "AssetChecks", (
                f"{_key(node['assetKey']['path'])}: {checks['__typename']} {checks.get('message')}"
            )
            listed_checks |= {(_key(c["assetKey"]["path"]), c["name"]) for c in checks["checks"]}
        assert ("raw/kcs_monthly_partner", "gx_file_rules") in expected_checks
        missing_checks = expected_checks - listed_checks
        assert not missing_checks, f"asset checks missing from webserver: {sorted(missing_checks)}"

        groups = {n["groupName"] for n in nodes}
        assert {"ingest", "reference", "transform", "marts", "publish", "reports"} <= groups, groups

        assert "refresh" in {j["name"] for j in repo["jobs"]}
        assert "monthly_refresh" in {s["name"] for s in repo["schedules"]}
        assert "landing_sensor" in {s["name"] for s in repo["sensors"]}
    finally:
        _stop_process_group(proc)
