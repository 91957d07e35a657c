"""`python -m orchestration.reports`: render every chart and the page again from WAREHOUSE_DIR's serving.duckdb.

For a published warehouse whose charts are missing or stale (a refresh that changes nothing publishes nothing
and so renders nothing). Exits 1 naming the charts that failed; their previous files stay in place.
"""

import sys

from orchestration.database import connect
from orchestration.reports import charts, page
from orchestration.settings import WarehousePaths


def main() -> int:
    paths = WarehousePaths.from_env()
    if not paths.serving_db.exists():
        print(f"nothing published yet: {paths.serving_db} is missing (run `make run`)", file=sys.stderr)
        return 1
    failed = []
    with connect(paths.serving_db, read_only=True) as con:
        for name in charts.CHARTS:
            try:
                rendered = charts.render(name, con, paths.reports)
            except Exception as exc:  # one chart's failure must not stop the others
                failed.append(name)
                print(f"chart {name} failed, previous files kept: {exc}", file=sys.stderr)
            else:
                print(f"{rendered.png}\n{rendered.svg}")
        if not failed:
            print(page.write(con, paths.reports))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
