"""Convert the hand-compiled published SME figures into the `firm_size_exports` feed form.

Input : data/published/korea_sme_exports_published.csv (one row per press figure)
Output: data/sample/firm_size_exports/published_firm_size_exports.csv
The feed form is documented in data/sample/PROVENANCE.md; run from the repo root.
"""

import csv
from pathlib import Path

SRC = Path("data/published/korea_sme_exports_published.csv")
OUT = Path("data/sample/firm_size_exports/published_firm_size_exports.csv")
COLUMNS = [
    "source",
    "vintage",
    "year",
    "period",
    "firm_size",
    "destination_code",
    "measure",
    "value",
    "unit",
    "publisher",
    "citation_url",
    "note",
]

FIRM_SIZE = {
    "SME": "sme",
    "SME (<250 employees)": "sme",
    "Mid-sized": "middle",
    "Large": "large",
    "Large (>=250 employees)": "large",
    "All enterprises": "all",
    "Top-10 firms": "top10",
    "Micro (소상공인)": "micro",
}
DESTINATION = {"china": "CHN", "us": "USA", "vietnam": "VNM", "japan": "JPN", "southeast_asia": "ASEAN"}


def source_of(publisher: str) -> str:
    """Publisher text -> one source code; a series never mixes sources."""
    for needle, code in [("Statistics Korea", "KOSTAT_TEC"), ("MSS", "MSS"), ("KBIZ", "KBIZ"), ("SERI", "SERI")]:
        if needle in publisher:
            return code
    raise ValueError(f"unknown publisher {publisher!r}")


def measure_of(metric: str) -> tuple[str, str]:
    """Published metric name -> (measure, destination_code)."""
    fixed = {
        "exports": ("exports_usd", "WLD"),
        "number_of_exporters": ("exporters", "WLD"),
        "share_of_total_exports": ("share_of_total_exports", "WLD"),
        "export_growth": ("export_growth_yoy", "WLD"),
    }
    if metric in fixed:
        return fixed[metric]
    if metric.startswith("exports_to_"):
        return "exports_usd", DESTINATION[metric.removeprefix("exports_to_")]
    if metric.endswith("_share_of_sme_exports"):
        return "share_of_firm_size_exports", DESTINATION[metric.removesuffix("_share_of_sme_exports")]
    raise ValueError(f"unknown metric {metric!r}")


def value_of(value: str, unit: str) -> tuple[str, str]:
    if unit == "USD bn":
        return f"{round(float(value) * 1e9):d}", "USD"
    if unit.startswith("percent"):
        return f"{float(value) / 100:.6g}", "ratio"
    if unit == "firms":
        return value, "firms"
    raise ValueError(f"unknown unit {unit!r}")


def main() -> None:
    rows = []
    with SRC.open(encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            publisher = r["original_publisher"]
            vintage = next((v for v in ("preliminary", "provisional") if v in publisher), "published")
            measure, destination = measure_of(r["metric"])
            value, unit = value_of(r["value"], r["unit"])
            rows.append(
                [
                    source_of(publisher),
                    vintage,
                    r["year"],
                    r["period"],
                    FIRM_SIZE[r["firm_size_scope"]],
                    destination,
                    measure,
                    value,
                    unit,
                    publisher,
                    r["citing_page_url"],
                    r["definition_note"],
                ]
            )
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(COLUMNS)
        w.writerows(rows)
    print(f"{OUT}: {len(rows)} rows")


if __name__ == "__main__":
    main()
