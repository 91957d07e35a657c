"""The `reports` assets in process: their metadata (image, paths), and what a failing chart leaves behind."""

import base64
import re

import dagster as dg

from orchestration.definitions import build_defs
from orchestration.defs.reports import CHART_ASSETS, REPORT_ASSETS, only_reports_failed
from orchestration.reports import charts
from tests.helpers import resource, sha256

IMAGE = re.compile(r"^!\[[^\]]+\]\(data:image/png;base64,([A-Za-z0-9+/=]+)\)$")


def _materialize(warehouse, instance):
    return dg.materialize(
        REPORT_ASSETS, resources={"warehouse": resource(warehouse)}, instance=instance, raise_on_error=False
    )


def test_chart_assets_show_the_image_and_the_paths(warehouse):
    instance = dg.DagsterInstance.ephemeral()
    result = _materialize(warehouse, instance)
    assert result.success and not only_reports_failed(result)
    for asset in CHART_ASSETS:
        metadata = instance.get_latest_materialization_event(asset.key).asset_materialization.metadata
        image = IMAGE.match(metadata["chart"].value)
        assert image, f"{asset.key.to_user_string()}: no image markdown"
        assert base64.b64decode(image.group(1)).startswith(b"\x89PNG")
        assert len(image.group(1)) < 60_000, "the preview stored with every materialization should stay small"
        name = asset.key.path[-1]
        assert metadata["png"].value == str(warehouse / "reports" / f"{name}.png")
        assert metadata["svg"].value == str(warehouse / "reports" / f"{name}.svg")
        assert metadata["page"].value == str(warehouse / "reports" / "index.html")
    page = instance.get_latest_materialization_event(dg.AssetKey(["reports", "index_html"]))
    metadata = page.asset_materialization.metadata
    assert metadata["path"].value == str(warehouse / "reports" / "index.html")
    assert (warehouse / "reports" / "index.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_a_failing_chart_keeps_its_previous_files_and_the_publication(warehouse, monkeypatch):
    assert _materialize(warehouse, dg.DagsterInstance.ephemeral()).success
    reports, serving = warehouse / "reports", sha256(warehouse / "serving.duckdb")
    inputs = reports / "us_surplus.inputs.json"  # drawn by other code: the chart must be drawn again
    inputs.write_text(inputs.read_text().replace('"code": "', '"code": "older '))
    before = {p.name: p.read_bytes() for p in reports.iterdir()}

    def broken(con):
        raise RuntimeError("drawing failed")

    monkeypatch.setitem(charts.CHARTS, "us_surplus", charts.Chart("us_surplus", "broken", broken))
    result = _materialize(warehouse, dg.DagsterInstance.ephemeral())
    assert not result.success
    failed = {e.step_key for e in result.all_events if e.event_type == dg.DagsterEventType.STEP_FAILURE}
    assert failed == {"reports__us_surplus"} and only_reports_failed(result)
    started = {e.step_key for e in result.all_events if e.event_type == dg.DagsterEventType.STEP_START}
    assert "reports__index_html" not in started  # the page is not rebuilt: it keeps linking the charts it had
    after = {p.name: p.read_bytes() for p in reports.iterdir()}
    assert after.keys() == before.keys()  # nothing half-written, no temporary files
    assert after["us_surplus.png"] == before["us_surplus.png"] and after["us_surplus.svg"] == before["us_surplus.svg"]
    assert after["index.html"] == before["index.html"]
    assert sha256(warehouse / "serving.duckdb") == serving


def test_reports_are_downstream_of_the_publication(tmp_path):
    graph = build_defs(resource(tmp_path)).resolve_asset_graph()
    publish = dg.AssetKey(["publish", "serving_duckdb"])
    chart_keys = {asset.key for asset in CHART_ASSETS}
    assert {c.path[-1] for c in chart_keys} == set(charts.CHARTS)
    for key in chart_keys:
        assert graph.get(key).parent_keys == {publish} and graph.get(key).group_name == "reports"
    assert graph.get(dg.AssetKey(["reports", "index_html"])).parent_keys == chart_keys
