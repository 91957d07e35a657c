"""Reference codes every parser shares, read from the dbt seeds (dbt_project/seeds/): the only reader of seeds."""

import csv
from functools import cache

from orchestration.settings import SEEDS_DIR

WORLD = "WLD"  # partner code of the world total
ALL_PRODUCTS = "TOTAL"  # hs_code of an all-products row; dbt var `all_products_hs_code` says the same


def _rows(seed: str) -> list[dict]:
    with (SEEDS_DIR / seed).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@cache
def iso2_to_iso3() -> dict[str, str]:
    return {r["iso2"]: r["iso3"] for r in _rows("countries.csv") if r["iso2"]}


@cache
def m49_to_iso3() -> dict[str, str]:
    """ISO 3166 numeric code (3 digits, zero-padded) -> ISO-3."""
    return {r["m49"]: r["iso3"] for r in _rows("countries.csv") if r["m49"]}


@cache
def iso3_by_english_name() -> dict[str, str]:
    return {r["name_en"]: r["iso3"] for r in _rows("countries.csv")}


@cache
def iso3_by_korean_name() -> dict[str, str]:
    """Korean partner name as Korea Customs / KOSIS print it -> ISO-3 (seed `country_names_ko.csv`)."""
    return {r["name_ko"]: r["iso3"] for r in _rows("country_names_ko.csv")}


@cache
def partner_kinds() -> dict[str, str]:
    """Partner code -> 'country' | 'group' | 'world'."""
    kinds = {r["iso3"]: "country" for r in _rows("countries.csv")}
    kinds |= {r["group_code"]: "group" for r in _rows("partner_groups.csv")}
    return kinds | {WORLD: "world"}


@cache
def korean_names() -> dict[str, tuple[str, str]]:
    """Partner code -> (Korean name, English name) of countries and groups, for chart labels."""
    names = {r["iso3"]: (r["name_ko"], r["name_en"]) for r in _rows("countries.csv") if r["name_ko"]}
    return names | {r["group_code"]: (r["name_ko"], r["name_en"]) for r in _rows("partner_groups.csv")}
