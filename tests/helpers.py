"""What many tests share: the fixture files, a refresh of a warehouse directory, a dropped landing file."""

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
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


@contextmanager
def writer_lock_held_elsewhere(
    warehouse: Path, holder: str = "pid 4242, since 2026-12-02 06:00:00 UTC"
) -> Iterator[None]:
    """Another process holds the warehouse's writer lock (as a running refresh does) for the block."""
    code = (
        "import fcntl, sys, time; f = open(sys.argv[1], 'a+'); fcntl.flock(f, fcntl.LOCK_EX); "
        "f.write(sys.argv[2]); f.flush(); print('held', flush=True); time.sleep(60)"
    )
    warehouse.mkdir(parents=True, exist_ok=True)
    process = subprocess.Popen(
        [sys.executable, "-c", code, str(warehouse / "writer.lock"), holder], stdout=subprocess.PIPE, text=True
    )
    try:
        assert process.stdout.readline().strip() == "held"
        yield
    finally:
        process.kill()
        process.wait()
