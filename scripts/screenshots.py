"""`make screenshots`: docs/img/*.png again from a published warehouse (--warehouse, default WAREHOUSE_DIR).

The top of the report page, and the Dagster UI's pages of asset reports/us_china_shares and of the release_calendar
check of raw/kcs_monthly_partner (served over a temporary copy of the warehouse), in headless Chromium; the chart's
own PNG, copied. Exit 1 with one line if nothing is published.
"""

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # this checkout's orchestration, not an installed one
from orchestration import chromium
from orchestration.database import connect
from orchestration.reports import data
from orchestration.settings import REPO_ROOT, WarehousePaths
from orchestration.webserver import serve, show_chart, show_check

OUT = REPO_ROOT / "docs" / "img"
CHART = "us_china_shares"
PAGE_VIEWPORT = {"width": 1300, "height": 1100}
UI_VIEWPORT = {"width": 1400, "height": 1300}


def publication(paths: WarehousePaths) -> tuple[str, str]:
    """(publication id, 'published … UTC, data to <latest month>') of the serving file."""
    with connect(paths.serving_db, read_only=True) as con:
        publication_id, published_at = data.publication(con)
        shares = data.us_china_shares(con)
    latest = shares[shares.frequency == "month"].period_start.max()
    return str(publication_id), f"published {published_at:%Y-%m-%d %H:%M:%S} UTC, data to {latest:%Y-%m}"


def written(path: Path) -> None:
    with Image.open(path) as image:
        print(f"{path}  {image.width}x{image.height} px, {path.stat().st_size / 1024:.0f} kB")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warehouse", type=Path, default=WarehousePaths.from_env().root, help="a published warehouse")
    paths = WarehousePaths(parser.parse_args().warehouse.resolve())
    page_html, chart_png = paths.reports / "index.html", paths.reports / f"{CHART}.png"
    missing = next((p for p in (paths.serving_db, page_html, chart_png) if not p.exists()), None)
    if missing:
        print(f"no publication to show: {missing} is missing (run `make run` first)", file=sys.stderr)
        return 1
    publication_id, when = publication(paths)
    if publication_id not in page_html.read_text(encoding="utf-8"):
        rerender = f"WAREHOUSE_DIR={paths.root} python -m orchestration.reports"
        print(f"{page_html} is not of publication {publication_id}: run `{rerender}`", file=sys.stderr)
        return 1
    if not chromium.available():
        print(f"Chromium not found at {chromium.CHROMIUM}: apt-get install chromium fonts-noto-cjk", file=sys.stderr)
        return 1
    from playwright.sync_api import sync_playwright  # the dev extra

    OUT.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(chart_png, OUT / f"{CHART}.png")
    written(OUT / f"{CHART}.png")
    # Playwright starts after serve()'s in-process Dagster run: its event loop must not meet that run.
    with (
        tempfile.TemporaryDirectory(prefix="screenshots-") as tmp,
        serve(paths.root, Path(tmp), raw_checks=True) as server,
        sync_playwright() as playwright,
    ):
        browser = chromium.launch(playwright)
        page = browser.new_page(viewport=PAGE_VIEWPORT)
        page.goto(page_html.as_uri(), wait_until="load")
        page.screenshot(path=OUT / "report_page_top.png")
        written(OUT / "report_page_top.png")
        page = browser.new_page(viewport=UI_VIEWPORT)
        show_chart(page, server.base_url, CHART)
        page.screenshot(path=OUT / "dagster_ui_chart_asset.png")
        written(OUT / "dagster_ui_chart_asset.png")
        page = browser.new_page(viewport=UI_VIEWPORT)
        show_check(page, server.base_url, "raw/kcs_monthly_partner", "release_calendar")
        page.screenshot(path=OUT / "dagster_ui_release_calendar.png")
        written(OUT / "dagster_ui_release_calendar.png")
        browser.close()
    print(f"publication {publication_id}, {when}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
