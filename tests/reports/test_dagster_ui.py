"""The chart assets in the real Dagster UI: `dagster-webserver` (GraphQL) reports each chart's image as the
latest materialization's metadata, and the asset page shows it in headless Chromium (screenshot printed)."""

import os
import shutil
import subprocess

import dagster as dg

from orchestration.defs.reports import CHART_ASSETS, REPORT_ASSETS
from orchestration.settings import TELEMETRY_OFF
from tests.helpers import resource
from tests.test_webserver import (
    REPO_ROOT,
    WEBSERVER,
    _free_port,
    _graphql,
    _stop_process_group,
    _wait_until_loaded,
)

LATEST_METADATA = """
query {
  assetOrError(assetKey: {path: %s}) {
    __typename
    ... on Asset {
      assetMaterializations(limit: 1) {
        metadataEntries { label ... on MarkdownMetadataEntry { mdStr } ... on PathMetadataEntry { path } }
      }
    }
  }
}
"""


def test_chart_metadata_through_the_webserver_and_its_page(warehouse, tmp_path, screenshots, request):
    dagster_home = tmp_path / "dagster_home"
    dagster_home.mkdir()
    shutil.copy(REPO_ROOT / "orchestration" / "dagster.yaml", dagster_home / "dagster.yaml")
    with dg.DagsterInstance.from_config(str(dagster_home)) as instance:
        assert dg.materialize(REPORT_ASSETS, resources={"warehouse": resource(warehouse)}, instance=instance).success

    port, log_path = _free_port(), tmp_path / "webserver.log"
    base_url = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if k.lower() not in {"http_proxy", "https_proxy", "all_proxy"}}
    env.update(TELEMETRY_OFF, WAREHOUSE_DIR=str(warehouse), DAGSTER_HOME=str(dagster_home), NO_PROXY="127.0.0.1")
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
        _wait_until_loaded(proc, base_url, log_path)
        for asset in CHART_ASSETS:
            path = str(asset.key.path).replace("'", '"')
            node = _graphql(base_url, LATEST_METADATA % path)["assetOrError"]
            assert node["__typename"] == "Asset", node
            entries = {e["label"]: e for e in node["assetMaterializations"][0]["metadataEntries"]}
            assert entries["chart"]["mdStr"].startswith("![") and "(data:image/png;base64," in entries["chart"]["mdStr"]
            assert entries["png"]["path"].endswith(f"/reports/{asset.key.path[-1]}.png")

        browser = request.getfixturevalue("browser")  # only now: Playwright's loop must not meet the run above
        page = browser.new_page(viewport={"width": 1400, "height": 1300})
        shot = screenshots / "dagster_ui_chart_asset.png"
        try:
            page.goto(f"{base_url}/assets/reports/us_china_shares", wait_until="load")
            # The one-time community sign-up modal of a fresh instance can open at any moment: Playwright
            # dismisses it ("Skip") whenever it is in the way of an action.
            page.add_locator_handler(page.get_by_role("button", name="Skip"), lambda skip: skip.click())
            page.get_by_text("[Show Markdown]").first.click(timeout=60_000)  # metadata row `chart`: the image
            chart = page.locator('img[src^="data:image/png;base64,"]').first
            chart.wait_for(state="visible", timeout=60_000)
            chart.scroll_into_view_if_needed()
            assert chart.evaluate("i => i.complete && i.naturalWidth > 0")
        finally:
            page.screenshot(path=str(shot))
            print(f"Dagster UI screenshot: {shot}")
    finally:
        _stop_process_group(proc)
