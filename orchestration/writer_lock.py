"""One writer at a time: a lock file next to warehouse.duckdb, held by every process that writes it.

DuckDB refuses a second writer with a lock error in the middle of a step; this lock turns that into a clear
refusal before anything starts: `WriterBusy` names the process that holds it. It refuses, never waits: a
refresh that finds another one running stops with one line, and nothing of it has run. Within one process
the lock is re-entrant (the CLI holds it around the whole refresh, its steps take it again). The operating
system releases it when the holder exits, however it exits.
"""

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from orchestration.settings import WarehousePaths

_held: set[str] = set()  # lock files this process holds


class WriterBusy(RuntimeError):
    """Another process is writing the warehouse."""

    def __init__(self, holder: str):
        self.holder = holder
        super().__init__(f"refresh already running ({holder}): wait for it to finish, or stop it, then run again")


@contextmanager
def writer_lock(paths: WarehousePaths) -> Iterator[None]:
    """Hold the warehouse's writer lock for the block; raises WriterBusy if another process holds it."""
    path = paths.ensure().root / "writer.lock"
    if str(path) in _held:
        yield
        return
    with path.open("a+", encoding="utf-8") as f:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            f.seek(0)
            raise WriterBusy(f.read().strip() or "another process") from None
        f.seek(0)
        f.truncate()
        f.write(f"pid {os.getpid()}, since {datetime.now(UTC):%Y-%m-%d %H:%M:%S} UTC")
        f.flush()
        _held.add(str(path))
        try:
            yield
        finally:
            _held.discard(str(path))
            f.seek(0)
            f.truncate()
            fcntl.flock(f, fcntl.LOCK_UN)
