"""Partner codes known to the warehouse, read from the dbt seeds (one source of truth)."""

import csv
from functools import cache

from orchestration.settings import SEEDS_DIR

WORLD = "WLD"


def _rows(seed: str) -> list[dict]:
    with (SEEDS_DIR / seed).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@cache
def iso2_to_iso3() -> dict[str, str]:
    return {r["iso2"]: r["iso3"] for r in _rows("countries.csv") if r["iso2"]}


@cache
def partner_kinds() -> dict[str, str]:
    """Partner code -> 'country' | 'group' | 'world'."""
    kinds = {r["iso3"]: "country" for r in _rows("countries.csv")}
    kinds |= {r["group_code"]: "group" for r in _rows("partner_groups.csv")}
    return kinds | {WORLD: "world"}
