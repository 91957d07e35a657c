"""The real Dagster UI (the session's one `dagster-webserver -w workspace.yaml`, orchestration/webserver.py): the code
location loads and lists every definition that `orchestration.definitions.build_defs` makes; GraphQL reports each
chart's image as the latest materialization's metadata, and the asset page shows it in headless Chromium (screenshot
printed)."""

from orchestration.definitions import build_defs
from orchestration.defs.reports import CHART_ASSETS
from orchestration.defs.resources import WarehouseResource
from orchestration.webserver import LOCATION_NAME, graphql, location_entry, show_chart

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


def _key(path: list[str]) -> str:
    return "/".join(path)


def test_webserver_lists_every_definition(webserver):
    # Expected: what the code location defines for that warehouse.
    asset_graph = build_defs(WarehouseResource(root=str(webserver.warehouse))).resolve_asset_graph()
    expected_assets = {key.to_user_string() for key in asset_graph.get_all_asset_keys()}
    expected_checks = {(check.asset_key.to_user_string(), check.name) for check in asset_graph.asset_check_keys}
    assert expected_assets and expected_checks
    base_url = webserver.base_url

    entry = location_entry(base_url)
    location = entry["locationOrLoadError"]
    assert location is not None and location["__typename"] == "RepositoryLocation", (
        f"code location {LOCATION_NAME!r} failed to load: {(location or {}).get('message')}\n"
        f"{''.join((location or {}).get('stack') or [])}"
    )

    repositories = graphql(base_url, REPOSITORIES_QUERY)["repositoriesOrError"]
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
        show_chart(page, base_url, "us_china_shares")  # metadata row `chart`: the image
    finally:
        page.screenshot(path=str(shot))
        print(f"Dagster UI screenshot: {shot}")
