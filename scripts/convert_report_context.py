"""Convert the hand-typed figures around BOK Issue Note 2024-9 into the `published_figures` feed form.

Input : data/published/report_context/*.csv (typed from press reports; see its PROVENANCE.md)
Output: data/sample/published_figures/<dataset>.csv, one file per input, in the documented feed form
        (data/sample/PROVENANCE.md, "published_figures/"). Run from the repo root:
        .venv/bin/python scripts/convert_report_context.py
Only units and codes are normalised (USD mn -> USD, partner names -> ISO-3, flows -> the feed's words);
every value, qualifier, publisher, citation and note is kept as typed. A release date is taken from the
release or publisher text when it names one (a month or a year alone gives its last day: the date by which
the figure was certainly out); otherwise it stays empty. SME figures go to firm_size_exports instead, the
note's claims to the dbt seed `note_claims`.
"""

import calendar
import csv
import re
from pathlib import Path

SRC = Path("data/published/report_context")
OUT = Path("data/sample/published_figures")
COLUMNS = [
    "dataset",
    "year",
    "period",
    "flow",
    "partner_code",
    "subject",
    "breakdown",
    "metric",
    "value",
    "unit",
    "qualifier",
    "conflict",
    "basis",
    "publisher",
    "release",
    "release_date",
    "citation_url",
    "note",
]
UNITS = {"USD mn": ("USD", 1e6), "USD bn": ("USD", 1e9)}  # others are kept as they are
FLOWS = {
    "KR_imports_from_US": "import",
    "US_exports_to_KR": "partner_export",
    "KR_balance_with_US": "balance",
    "KR_exports_to_US": "export",
}
PARTNERS = {
    "USA": "USA",
    "United States": "USA",
    "China": "CHN",
    "World": "WLD",
    "direct": "USA",
    "via third countries (total)": "USA",
    "China and ASEAN -> USA": "USA",
}
# MOTIE calls the MTI item 천연가스 (natural gas), KITA LNG: the same imports (PROVENANCE §1, caveat b).
SUBJECTS = {"natural_gas": "lng"}
# Direct-investment series: the publisher's measure, in words.
SERIES = {
    "KR_OFDI_to_US": "overseas direct investment, gross",
    "KR_OFDI_to_US_manufacturing": "overseas direct investment, gross, manufacturing",
    "KR_OFDI_total": "overseas direct investment, gross",
    "KR_FDI_position_in_US": "BEA position",
    "KR_FDI_position_in_US_wholesale": "BEA position, wholesale trade",
    "KR_FDI_position_in_US_manufacturing": "BEA position, manufacturing",
    "KR_FDI_position_in_US_real_estate": "BEA position, real estate",
    "KR_FDI_position_in_US_finance_insurance": "BEA position, finance and insurance",
    "US_FDI_position_in_KR": "BEA position of the US in Korea",
    "KR_direct_investment_assets_in_US_BOK_IIP": "BOK IIP direct investment assets",
}
# Releases whose typed text gives only the year, dated by another report of the same release: MOEF's annual
# release of the 2024 figures (the korea.net press release) came out on 2025-03-14, as New Daily reported it that
# day (releases_2025_2026/overseas_direct_investment_releases.csv, same figures); "2025" alone would give 2025-12-31.
RELEASE_DAYS = {
    "https://www.korea.net/Government/Briefing-Room/Press-Releases/view?articleId=6118&insttCode=A260122&type=N": (
        "2025-03-14"
    ),
}
# A year alone counts only at the start or in parentheses: in a title ("Trade Shifts 2017") it is the data year.
WORLD_SERIES = {"KR_OFDI_total": "WLD"}  # all destinations; every other series is about the US
DAY, MONTH, YEAR = (
    re.compile(p) for p in (r"(\d{4})-(\d{2})-(\d{2})", r"(\d{4})-(\d{2})(?!-?\d)", r"^(\d{4})\b|\((\d{4})\)")
)


def release_date(text: str) -> str:
    """The first date the text names, as YYYY-MM-DD (a month or a year alone: its last day; of "2017-02/03" the
    first month), else ''."""
    if m := DAY.search(text):
        return m.group(0)
    if m := MONTH.search(text):
        year, month = int(m[1]), int(m[2])
        return f"{year}-{month:02d}-{calendar.monthrange(year, month)[1]}"
    if m := YEAR.search(text):
        return f"{m[1] or m[2]}-12-31"
    return ""


def value_and_unit(value: str, unit: str) -> tuple[str, str]:
    name, scale = UNITS.get(unit, (unit, 1))
    return (repr(round(float(value) * scale, 6)) if value and scale != 1 else value), name


def row(dataset: str, r: dict, **fields) -> dict:
    """A feed row from a typed row `r`; `fields` give what differs between inputs."""
    release = fields.pop("release", None) or r["original_publisher"]
    value, unit = value_and_unit(r["value"], r["unit"])
    return {
        "dataset": dataset,
        "year": r["year"],
        "period": r["period"],
        "value": value,
        "unit": unit,
        "qualifier": r.get("qualifier", ""),
        "conflict": "true" if r["note"].startswith("CONFLICT") else "",
        "publisher": r["original_publisher"],
        "release": release,
        "release_date": RELEASE_DAYS.get(r["citing_url"]) or release_date(release),
        "citation_url": r["citing_url"],
        "note": r["note"],
        "breakdown": "",
        **fields,
    }


def read(name: str) -> list[dict]:
    """The typed rows; a cell saying "as above" takes the value of the row above (the typist's shorthand)."""
    with (SRC / name).open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    for above, r in zip(rows, rows[1:], strict=False):
        r.update({k: above[k] for k, v in r.items() if v == "as above"})
    return rows


def trade_by_product() -> list[dict]:
    return [
        row(
            "trade_by_product",
            r,
            flow=FLOWS[r["flow"]],
            partner_code="USA",
            basis=r["basis"],
            metric=r["metric"],
            subject=SUBJECTS.get(r["product_group"], r["product_group"]),
        )
        for r in read("kr_us_energy_agri_imports_published.csv")
    ]


def export_composition() -> list[dict]:
    return [
        row(
            "export_composition",
            r,
            flow=FLOWS[r["flow"]],
            partner_code="USA",
            basis=r["basis"],
            subject=r["category"],
            breakdown=r["breakdown"],
            metric=r["metric"],
        )
        for r in read("kr_exports_to_us_composition_published.csv")
    ]


def direct_investment() -> list[dict]:
    return [
        row(
            "direct_investment",
            r,
            flow="investment",
            partner_code=WORLD_SERIES.get(r["series"], "USA"),
            basis=r["basis"],
            subject=SERIES[r["series"]],
            metric=r["metric"],
            release=r["release_vintage"],
        )
        for r in read("kr_fdi_to_us_published.csv")
    ]


def value_added() -> list[dict]:
    return [
        row(
            "value_added",
            r,
            flow="export",
            partner_code=PARTNERS[r["partner_or_route"]],
            basis=r["method_or_basis"],
            subject=r["indicator"],
            breakdown=r["partner_or_route"],
            metric="statement" if r["qualifier"] == "statement" else "value",
        )
        for r in read("kr_value_added_indirect_exports_to_us_published.csv")
    ]


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for build in (trade_by_product, export_composition, direct_investment, value_added):
        rows = build()
        with (OUT / f"{build.__name__}.csv").open("w", encoding="utf-8", newline="") as f:
            writer = csv.DictWriter(f, COLUMNS, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
        print(f"{OUT / build.__name__}.csv: {len(rows)} rows")


if __name__ == "__main__":
    main()
