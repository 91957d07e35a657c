"""What many tests share: the fixture files, a refresh of a warehouse directory, a dropped landing file and the
checks of its rejection (quarantined unchanged, nothing published)."""

import json
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
import duckdb

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


def raw_row_count(warehouse: Path, feed: str) -> int:
    with duckdb.connect(str(warehouse / "warehouse.duckdb"), read_only=True) as con:
        return con.execute(f"SELECT count(*) FROM raw.{feed}").fetchone()[0]


def quarantined(warehouse: Path, feed: str, name: str) -> tuple[Path, dict]:
    """The quarantined copy of landing file `name` and its reason."""
    [reason_path] = (warehouse / "quarantine" / feed).glob(f"*_{name}.reason.json")
    return reason_path.with_name(reason_path.name.removesuffix(".reason.json")), json.loads(reason_path.read_text())


def assert_rejected(warehouse: Path, landing_file: Path, *expected: str, feed: str = "kcs_monthly_partner") -> str:
    """Run the refresh; it must fail naming `expected`, quarantine the file unchanged with its reason,
    and leave serving + raw untouched."""
    from orchestration.cli import failure_messages

    serving_before = sha256(warehouse / "serving.duckdb")
    raw_before = raw_row_count(warehouse, feed)
    content = landing_file.read_bytes()
    result = refresh(warehouse)
    message = "\n".join(failure_messages(result))
    assert not result.success
    for text in expected:
        assert text in message, f"{text!r} not in failure message:\n{message}"
    assert not landing_file.exists(), "a rejected landing file leaves the landing directory"
    kept, reason = quarantined(warehouse, feed, landing_file.name)
    assert kept.read_bytes() == content, "the raw file must be kept as it was"
    assert reason["feed"] == feed and reason["failures"] and reason["sha256"] == sha256(kept)
    assert any(text in json.dumps(reason, ensure_ascii=False) for text in expected[1:] or expected)
    assert sha256(warehouse / "serving.duckdb") == serving_before, "serving.duckdb changed"
    assert raw_row_count(warehouse, feed) == raw_before, f"raw.{feed} was promoted"
    return message


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
