"""The static dbt docs site: `dbt docs generate --static` against the warehouse, as <warehouse>/docs/index.html.

One self-contained HTML file (manifest and catalog inlined): it opens from disk in a browser, no server. The
report page and the publication's metadata link to it. A failure leaves the previous site in place.
"""

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from orchestration.dbt.project import DBT_PROJECT
from orchestration.settings import WarehousePaths, export_for_dbt


def docs_page(paths: WarehousePaths) -> Path:
    return paths.root / "docs" / "index.html"


def build_docs(paths: WarehousePaths) -> Path:
    """Generate the site (the caller holds the writer lock: dbt opens warehouse.duckdb) and return its page."""
    export_for_dbt(paths)
    page = docs_page(paths)
    page.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="dbt-docs-", dir=paths.root) as target:
        dbt = [sys.executable, "-c", "from dbt.cli.main import cli; cli()"]
        project = ["--project-dir", str(DBT_PROJECT.project_dir), "--profiles-dir", str(DBT_PROJECT.project_dir)]
        done = subprocess.run(
            [*dbt, "docs", "generate", "--static", "--target-path", target, *project],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            tail = "\n".join((done.stdout + done.stderr).strip().splitlines()[-5:])
            raise RuntimeError(f"dbt docs generate failed:\n{tail}")
        staged = page.with_name(page.name + ".tmp")
        shutil.copy(Path(target) / "static_index.html", staged)
        os.replace(staged, page)
    return page
