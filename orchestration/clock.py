"""The warehouse's clock: the day a landing file arrives is its vintage (orchestration/vintages.py), so "today"
decides which figures a new file is compared with. One function reads it; tests and replays set it.

`WAREHOUSE_TODAY=YYYY-MM-DD` fixes the date (the time of day stays the real one). With
`WAREHOUSE_CLOCK_REQUIRED=1` (the test suite sets it), reading the real clock is an error: a test that depends
on the date must say which date it means.
"""

import os
from datetime import UTC, date, datetime

TODAY = "WAREHOUSE_TODAY"
REQUIRED = "WAREHOUSE_CLOCK_REQUIRED"


class ClockNotSet(RuntimeError):
    """The real clock was read where a fixed one is expected."""


def today() -> date:
    """Today (UTC), or the date in WAREHOUSE_TODAY."""
    return now().date()


def now() -> datetime:
    """Now (UTC, naive), on the date of WAREHOUSE_TODAY if it is set."""
    real = datetime.now(UTC).replace(tzinfo=None)
    fixed = os.environ.get(TODAY, "").strip()
    if not fixed:
        if os.environ.get(REQUIRED) == "1":
            raise ClockNotSet(f"{TODAY} is not set but {REQUIRED}=1: this code reads the date; fix it first")
        return real
    try:
        day = date.fromisoformat(fixed)
    except ValueError:
        raise ClockNotSet(f"{TODAY}={fixed!r} is not a date (YYYY-MM-DD)") from None
    return datetime.combine(day, real.time())
