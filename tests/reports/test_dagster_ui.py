"""The chart assets in the real Dagster UI (the session's webserver, tests/webserver.py): GraphQL reports each
chart's image as the latest materialization's metadata, and the asset page shows it in headless Chromium
(screenshot printed)."""

from orchestration.defs.reports import CHART_ASSETS
from tests.webserver import graphql

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


def test_chart_metadata_through_the_webserver_and_its_page(webserver, screenshots, request):
    base_url = webserver.base_url
    for asset in CHART_ASSETS:
        path = str(asset.key.path).replace("'", '"')
        node = graphql(base_url, LATEST_METADATA % path)["assetOrError"]
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
