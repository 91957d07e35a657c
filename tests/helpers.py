"""What many tests share: the fixture files, a refresh of a warehouse directory, a dropped landing file."""

from pathlib import Path

import dagster as dg

from orchestration.defs.resources import WarehouseResource
from orchestration.files import sha256_of

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"
SAMPLE = REPO / "data" / "sample"


def resource(warehouse_dir: Path) -> WarehouseResource:
    return WarehouseResource(root=str(warehouse_dir))


def refresh(warehouse_dir: Path) -> dg.ExecuteInProcessResult:
    """Run the refresh job in this process against `warehouse_dir` (an ephemeral Dagster instance)."""
    from orchestration.cli import run_refresh

    return run_refresh(resource(warehouse_dir), dg.DagsterInstance.ephemeral())


def drop(warehouse: Path, feed: str, name: str, content: str | bytes) -> Path:
    """Put a file into the landing directory of `feed`."""
    path = warehouse / "landing" / feed / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


sha256 = sha256_of  # of a file, e.g. serving.duckdb before and after a rejected refresh
