"""Quarantine: a landing file that fails its gate is moved out of the way with a machine-readable reason.

<WAREHOUSE_DIR>/quarantine/<feed>/<UTC time>_<name>              the file, byte for byte
<WAREHOUSE_DIR>/quarantine/<feed>/<UTC time>_<name>.reason.json  feed, rules, rows, time, sha256
Nothing from a quarantined file is promoted. The same bytes dropped again are quarantined at once
(recognised by SHA-256) instead of failing every refresh. Shipped sample files are never moved.
"""

import json
import os
from datetime import UTC, datetime
from pathlib import Path

from orchestration.feeds.spec import FeedError
from orchestration.files import sha256_of
from orchestration.settings import WarehousePaths

REASON_SUFFIX = ".reason.json"


def _quarantine_dir(paths: WarehousePaths, feed: str) -> Path:
    return paths.quarantine / feed


def quarantined_hashes(paths: WarehousePaths, feed: str) -> set[str]:
    """SHA-256 of every file already quarantined for `feed`."""
    directory = _quarantine_dir(paths, feed)
    return (
        {json.loads(p.read_text(encoding="utf-8"))["sha256"] for p in directory.glob(f"*{REASON_SUFFIX}")}
        if directory.is_dir()
        else set()
    )


def quarantine(paths: WarehousePaths, feed: str, path: Path, failures: list[FeedError], stage: str) -> Path:
    """Move a landing file into quarantine next to a reason file; returns the reason file."""
    directory = _quarantine_dir(paths, feed)
    directory.mkdir(parents=True, exist_ok=True)
    now = datetime.now(UTC)
    target = directory / f"{now:%Y%m%dT%H%M%S%fZ}_{path.name}"
    sha256 = sha256_of(path)
    os.replace(path, target)
    reason = {
        "feed": feed,
        "file": path.name,
        "landing_path": str(path),
        "quarantined_as": str(target),
        "sha256": sha256,
        "stage": stage,
        "quarantined_at": now.isoformat(),
        "failures": [
            {"rule": e.rule, "rows": e.rows[:1000], "row_count": len(e.rows), "detail": e.detail} for e in failures
        ],
    }
    reason_path = target.with_name(target.name + REASON_SUFFIX)
    reason_path.write_text(json.dumps(reason, indent=1, ensure_ascii=False), encoding="utf-8")
    return reason_path


def is_landing_file(paths: WarehousePaths, path: Path) -> bool:
    """Whether `path` lies in the landing directory (a link is judged by where it is, not where it points)."""
    folder, landing = Path(os.path.abspath(path)).parent.resolve(), paths.landing.resolve()
    return folder == landing or landing in folder.parents
