"""Convert hand-typed published figures into the `published_figures` feed form.

Input : data/published/report_context/*.csv (the figures around BOK Issue Note 2024-9, typed from press reports;
        see its PROVENANCE.md) and two files of data/published/releases_2025_2026/ (MOEF's direct-investment
        releases of 2024-2025, the ministry's and customs' semiconductor and car exports of 2025-2026)
Output: data/sample/published_figures/<dataset>.csv, one file per input, in the documented feed form
        (data/sample/PROVENANCE.md, "published_figures/"). Run from the repo root:
        .venv/bin/python scripts/convert_report_context.py
Only units and codes are normalised (USD mn -> USD, partner names -> ISO-3, flows -> the feed's words);
every value, qualifier, publisher, citation and note is kept as typed. A release date is taken from the
release or publisher text when it names one (a month or a year alone gives its last day: the date by which
the figure was certainly out), or from the file where it has a column of them; otherwise it stays empty. SME
figures go to firm_size_exports instead, the note's claims to the dbt seed `note_claims`.
"""

import calendar
import csv
import re
from pathlib import Path

SRC = Path("data/published/report_context")
RELEASES = Path("data/published/releases_2025_2026")
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


def read(name: str, folder: Path = SRC) -> list[dict]:
    """The typed rows; a cell saying "as above" takes the value of the row above (the typist's shorthand)."""
    with (folder / name).open(encoding="utf-8-sig", newline="") as f:
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


def released(r: dict, value: str, unit: str, period: str) -> dict:
    """A row of a releases file (`publisher`, `release_date` columns; its `year` or `period` starts with the year)
    in the shape `row` reads."""
    return {
        **r,
        "year": (r.get("year") or r["period"])[:4],
        "period": period,
        "value": value,
        "unit": unit,
        "original_publisher": r["publisher"],
    }


# A figure the press attached to the wrong partner, as its typed note says: kept, a declared conflict, never used.
MISLABELLED = {
    "https://www.urdupoint.com/en/middle-east/koreas-overseas-direct-investment-falls-for-1945167.html": (
        "North America figure",
        "mislabelled: the North America figure, printed as the United States",
    ),
}


def direct_investment_releases() -> list[dict]:
    """MOEF's releases of 2025: the 2024 annual figures and the 2025 quarters (year `2025-Q1` -> 2025, Q1). A later
    quote of a quarter is a release of its own (a revision), not a conflict."""
    rows = []
    for r in read("overseas_direct_investment_releases.csv", RELEASES):
        words, qualifier = MISLABELLED.get(r["citing_url"], ("", ""))
        if words not in r["note"]:
            raise ValueError(f"the note {r['note']!r} no longer says {words!r}")
        rows.append(
            row(
                "direct_investment",
                released(r, r["value_usd_mn"], "USD mn", r["year"][5:] or "year"),
                flow="investment",
                partner_code=r["partner_code"],
                basis="Korea MOEF overseas direct investment statistics, gross amount invested (총투자액)",
                subject="overseas direct investment, gross",
                metric="amount_invested",
                release=r["publisher"],
                release_date=r["release_date"],
                qualifier=qualifier,
                conflict="true" if qualifier else "",
            )
        )
    return rows


# Classifications of the item files: the ministry's 15 major items and customs' goods by nature (성질별).
ITEM_BASIS = {
    "MTI": "MOTIE/MOTIR 15 major export items (MTI classification), as released",
    "KCS": "Korea Customs exports by nature of goods (KCS 성질별 classification), as released",
}
ITEM_CLASSIFICATIONS = {"semiconductors": {"MTI", "KCS"}, "automobiles": {"MTI"}, "passenger_cars_kcs": {"KCS"}}
PARTIAL_MONTH = re.compile(r"PARTIAL MONTH: [A-Z][a-z]{2} (\d{1,2})-(\d{1,2})")
QUALIFIERS = {"lower bound": "lower bound (printed 'over')", "LOW QUALITY": "low-quality source (verify before use)"}


def item_period(r: dict) -> str:
    """`year`, a month (YYYY-MM), a cumulative span of months (YYYY-MM..YYYY-MM) or the days of a partial month
    (YYYY-MM-DD..YYYY-MM-DD, from the note's "PARTIAL MONTH: Nov 1-25")."""
    period = r["period"]
    if re.fullmatch(r"\d{4}", period):
        return "year"
    if m := re.fullmatch(r"(\d{4}-\d{2})_to_(\d{4}-\d{2})", period):
        return f"{m[1]}..{m[2]}"
    if not re.fullmatch(r"\d{4}-\d{2}", period):
        raise ValueError(f"unknown period {period!r}")
    if m := PARTIAL_MONTH.search(r["note"]):
        return f"{period}-{int(m[1]):02d}..{period}-{int(m[2]):02d}"
    return period


def export_items() -> list[dict]:
    """Semiconductor and car exports as released, one row per printed value and growth rate. Customs' items
    (`final KCS` or a KCS publisher) and the ministry's stay apart (`breakdown` = classification); the typed
    CONFLICT notes on items are such classification differences, not conflicts of one release."""
    rows = []
    for r in read("major_items_monthly_2025_2026.csv", RELEASES):
        classification = "KCS" if r["release"] == "final KCS" or r["publisher"].startswith("KCS") else "MTI"
        if classification not in ITEM_CLASSIFICATIONS[r["item"]]:
            raise ValueError(f"{r['item']} in the {classification} classification: {r}")
        fields = {"flow": "export", "partner_code": r["destination_code"], "subject": r["item"], "conflict": ""}
        fields |= {"breakdown": classification, "basis": ITEM_BASIS[classification], "release": r["release"]}
        fields |= {"release_date": r["release_date"]}
        fields["qualifier"] = "; ".join(q for words, q in QUALIFIERS.items() if words in r["note"])
        for metric, value, unit in (("value", r["value_usd_mn"], "USD mn"), ("growth_yoy", r["yoy_pct"], "percent")):
            if value:
                rows.append(row("export_items", released(r, value, unit, item_period(r)), metric=metric, **fields))
    return rows


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


OUTPUTS = {
    "trade_by_product.csv": trade_by_product,
    "export_composition.csv": export_composition,
    "direct_investment.csv": direct_investment,
    "value_added.csv": value_added,
    "direct_investment_releases_2024_2025.csv": direct_investment_releases,
    "export_items_2025_2026.csv": export_items,
}


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, build in OUTPUTS.items():
        rows = build()
        with (OUT / name).open("w", encoding="utf-8", newline="") as f:
            writer = csv.DictWriter(f, COLUMNS, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
        print(f"{OUT / name}: {len(rows)} rows")


if __name__ == "__main__":
    main()
