"""The `reports` group: charts and the report page, rendered from serving.duckdb after each publication.

They run downstream of publish/serving_duckdb, which has already swapped the new file in: a failing chart
fails its own step (and skips the page) but never touches the publication, and leaves that chart's previous
files in place (orchestration.reports.charts.render writes to temporary names, then renames). A chart whose
marts (their checksums) and drawing code are those it was last drawn from is not drawn again
(orchestration.reports.inputs).
"""

import base64

import dagster as dg

from orchestration import freshness
from orchestration.database import connect
from orchestration.defs.resources import WarehouseResource
from orchestration.reports import charts, data, inputs, page

SERVING = dg.AssetKey(["publish", "serving_duckdb"])


def preview_markdown(title: str, png: bytes) -> str:
    """The chart as a markdown image with a data URI (Dagster's UI shows it under the materialization)."""
    return f"![{title}](data:image/png;base64,{base64.b64encode(png).decode()})"


def _chart_asset(chart: charts.Chart) -> dg.AssetsDefinition:
    @dg.asset(
        key=["reports", chart.name],
        deps=[SERVING],
        group_name="reports",
        kinds={"matplotlib"},
        description=f"{chart.title}: `<warehouse>/reports/{chart.name}.png` and `.svg`, from serving.duckdb.",
    )
    def _chart(warehouse: WarehouseResource) -> dg.MaterializeResult:
        paths = warehouse.paths()
        with connect(paths.serving_db, read_only=True) as con:
            rendered = inputs.render(chart.name, con, paths.reports)
            publication_id, _ = data.publication(con)
        png, svg = (paths.reports / f"{chart.name}.{ext}" for ext in ("png", "svg"))
        small = rendered.preview_png if rendered else charts.preview(png.read_bytes())
        return dg.MaterializeResult(
            metadata={
                "chart": dg.MetadataValue.md(preview_markdown(chart.title, small)),
                "drawn": "drawn" if rendered else "unchanged: its marts and code are those of the files",
                "png": dg.MetadataValue.path(str(png)),
                "svg": dg.MetadataValue.path(str(svg)),
                "page": dg.MetadataValue.path(str(paths.reports / "index.html")),
                "publication_id": publication_id,
            }
        )

    return _chart


CHART_ASSETS = [_chart_asset(chart) for chart in charts.CHARTS.values()]


@dg.asset(
    key=["reports", "index_html"],
    deps=[asset.key for asset in CHART_ASSETS],
    group_name="reports",
    kinds={"html"},
    description="`<warehouse>/reports/index.html`: headline figures, the charts, the publication; static HTML.",
)
def index_html(warehouse: WarehouseResource) -> dg.MaterializeResult:
    paths = warehouse.paths()
    with connect(paths.serving_db, read_only=True) as con:
        path = page.write(con, paths.reports)
        publication_id, published_at = data.publication(con)
    files = {name: dg.MetadataValue.path(str(paths.reports / f"{name}.png")) for name in charts.CHARTS}
    return dg.MaterializeResult(
        metadata={
            "path": dg.MetadataValue.path(str(path)),
            "url": dg.MetadataValue.url(path.as_uri()),
            "publication_id": publication_id,
            "published_at": str(published_at),
            **{f"png_{name}": value for name, value in files.items()},
        }
    )


REPORT_ASSETS = [*CHART_ASSETS, index_html]


def only_reports_failed(result: dg.ExecuteInProcessResult) -> bool:
    """True when a run failed in the `reports` group only: the publication stands, the old charts stay.

    For `orchestration.cli refresh`, which would otherwise report a failed gate and an unchanged serving file.
    """
    failed = {e.step_key for e in result.all_events if e.event_type == dg.DagsterEventType.STEP_FAILURE}
    checks_failed = any(
        not e.passed and e.severity == dg.AssetCheckSeverity.ERROR and e.check_name != freshness.CHECK
        for e in result.get_asset_check_evaluations()
    )
    return bool(failed) and not checks_failed and all(step.startswith("reports__") for step in failed)
