"""Convert the hand-compiled published SME figures into the `firm_size_exports` feed form.

Inputs and outputs (run from the repo root):
  data/published/korea_sme_exports_published.csv (one row per press figure)
    -> data/sample/firm_size_exports/published_firm_size_exports.csv
  data/published/report_context/kr_sme_exports_by_destination_addendum.csv (MSS figures with their release,
  report context section 5)
    -> data/sample/firm_size_exports/mss_sme_exports_releases.csv (with `release_date`)
  data/published/releases_2025_2026/sme_exports_releases_2023_2025.csv (MSS releases of 2025-01 and 2026-01, the
  customs firm-characteristics series of 2026-02)
    -> data/sample/firm_size_exports/sme_exports_releases_2023_2025.csv (with `release_date`)
The feed form, what is converted and what is left out: data/sample/PROVENANCE.md.
"""

import calendar
import csv
import re
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PUBLISHED = REPO / "data/published/korea_sme_exports_published.csv"
PUBLISHED_OUT = REPO / "data/sample/firm_size_exports/published_firm_size_exports.csv"
ADDENDUM = REPO / "data/published/report_context/kr_sme_exports_by_destination_addendum.csv"
ADDENDUM_OUT = REPO / "data/sample/firm_size_exports/mss_sme_exports_releases.csv"
RELEASES = REPO / "data/published/releases_2025_2026/sme_exports_releases_2023_2025.csv"
RELEASES_OUT = REPO / "data/sample/firm_size_exports/sme_exports_releases_2023_2025.csv"
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
COUNTRY = {
    "World": "WLD",
    "China": "CHN",
    "United States": "USA",
    "Vietnam": "VNM",
    "Japan": "JPN",
    "Hong Kong": "HKG",
    "Taiwan": "TWN",
    "India": "IND",
    "Indonesia": "IDN",
    "Mexico": "MEX",
    "Thailand": "THA",
}
# The releases file's firm sizes -> (firm size, source if not the publisher's). Its "KCS firm-characteristics basis"
# rows are Trade by Enterprise Characteristics (기업특성별 무역통계), which Statistics Korea and KCS compile
# together: the series of the published file's KOSTAT_TEC rows (data/sample/PROVENANCE.md).
RELEASE_SIZES = {
    "SME": ("sme", None),
    "SME (KCS firm-characteristics basis)": ("sme", "KOSTAT_TEC"),
    "midsize (KCS firm-characteristics basis)": ("middle", "KOSTAT_TEC"),
    "large (KCS firm-characteristics basis)": ("large", "KOSTAT_TEC"),
}
# A release the addendum states only in the note of a later release of the same figure, typed here as a
# row of its own: (year, period, destination, release of the row with the note) -> (the note's words,
# value in USD mn, release as the note dates it, label).
NOTED_RELEASES = {
    ("2022", "year", "World", "2024-01-30 (MSS)"): (
        "revised from 117.5 (2023-02 release)",
        "117500",
        "2023-02",
        "first release",
    ),
}


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
    if unit == "USD mn":
        return f"{round(float(value) * 1e6):d}", "USD"
    if unit.startswith("percent"):
        return f"{float(value) / 100:.6g}", "ratio"
    if unit == "firms":
        return value, "firms"
    raise ValueError(f"unknown unit {unit!r}")


def release_date_of(release: str) -> str:
    """'2022-01-20 (MSS annual)' -> '2022-01-20'; a month only ('2023-02 …') -> its last day, the date by
    which the figure was certainly out (never an invented day)."""
    if match := re.match(r"(\d{4})-(\d{2})(?:-(\d{2}))?\b", release):
        year, month, day = match.groups()
        return f"{year}-{month}-{day or calendar.monthrange(int(year), int(month))[1]:0>2}"
    raise ValueError(f"no release date in {release!r}")


def release_label_of(release: str, note: str) -> str:
    """The figure's stage in its release, as the release text (or a note starting 'revised') says it."""
    for word in ("preliminary", "provisional", "first release", "revised"):
        if word in release:
            return word
    return "revised" if note.startswith("revised") else "published"


def published_rows(r: dict) -> Iterator[list[str]]:
    """A published row as one feed row."""
    publisher = r["original_publisher"]
    vintage = next((v for v in ("preliminary", "provisional") if v in publisher), "published")
    measure, destination = measure_of(r["metric"])
    value, unit = value_of(r["value"], r["unit"])
    yield [
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


@cache
def precise_figures() -> dict[tuple[str, ...], str]:
    """(year, period, destination, measure) -> value of the MSS SME figures of the published file, which the
    press often printed to more digits than the addendum's rounded reports of the same release."""
    with PUBLISHED.open(encoding="utf-8", newline="") as f:
        rows = [row for record in csv.DictReader(f) for row in published_rows(record)]
    return {(r[2], r[3], r[5], r[6]): r[7] for r in rows if r[0] == "MSS" and r[4] == "sme"}


ROUNDING_USD = 50e6  # the addendum gives USD mn rounded to 100 mn (e.g. 18,700)


def precise(key: list[str], value: str) -> tuple[str, str]:
    """The published file's figure where the addendum's value is the same figure rounded, with a note."""
    year, period, _, destination, measure = key
    better = precise_figures().get((year, period, destination, measure))
    if better and better != value and abs(float(better) - float(value)) <= ROUNDING_USD:
        return better, f"; value to the digits of the published file ({float(value) / 1e9:g} bn rounded here)"
    return value, ""


def addendum_rows(r: dict) -> Iterator[list[str]]:
    """An addendum row as one feed row (none for a statement), then the earlier release its note states."""
    measures = {"exports": "exports_usd", "growth_yoy": "export_growth_yoy"}
    if r["metric"] not in measures:  # statements and rankings carry no number
        return
    source, publisher, url = source_of(r["original_publisher"]), r["original_publisher"], r["citing_url"]
    key = [r["year"], r["period"], FIRM_SIZE[r["firm_size_scope"]], COUNTRY[r["destination"]], measures[r["metric"]]]
    released = release_date_of(r["release_vintage"])
    label = release_label_of(r["release_vintage"], r["note"])
    value, unit = value_of(r["value"], r["unit"])
    value, note = precise(key, value) if unit == "USD" else (value, "")
    yield [source, label, *key, value, unit, publisher, url, r["note"] + note, released]
    if noted := NOTED_RELEASES.get((r["year"], r["period"], r["destination"], r["release_vintage"])):
        words, value_mn, release, label = noted
        if words not in r["note"]:
            raise ValueError(f"the note {r['note']!r} no longer says {words!r}")
        note = f"stated in the note of the {released} release: {words}; release month only"
        yield [source, label, *key, *value_of(value_mn, r["unit"]), publisher, url, note, release_date_of(release)]


def release_rows(r: dict) -> Iterator[list[str]]:
    """A row of the releases file as its exports and, where printed, its growth rate, dated by its release."""
    firm_size, source = RELEASE_SIZES[r["firm_size"]]
    head = [source or source_of(r["publisher"]), release_label_of(r["release"], r["note"]), r["year"], "year"]
    head += [firm_size, r["destination_code"]]
    tail = [r["publisher"], r["citing_url"], r["note"], r["release_date"]]
    if r["value_usd_mn"]:
        yield [*head, "exports_usd", *value_of(r["value_usd_mn"], "USD mn"), *tail]
    if r["yoy_pct"]:
        yield [*head, "export_growth_yoy", *value_of(r["yoy_pct"], "percent"), *tail]


def convert(src: Path, out: Path, columns: list[str], to_rows: Callable[[dict], Iterator[list[str]]]) -> int:
    """Write `out` (header `columns`): the rows `to_rows` makes of each row of `src`."""
    with src.open(encoding="utf-8", newline="") as f:
        rows = [row for record in csv.DictReader(f) for row in to_rows(record)]
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(columns)
        w.writerows(rows)
    return len(rows)


def main() -> None:
    print(f"{PUBLISHED_OUT}: {convert(PUBLISHED, PUBLISHED_OUT, COLUMNS, published_rows)} rows")
    print(f"{ADDENDUM_OUT}: {convert(ADDENDUM, ADDENDUM_OUT, [*COLUMNS, 'release_date'], addendum_rows)} rows")
    print(f"{RELEASES_OUT}: {convert(RELEASES, RELEASES_OUT, [*COLUMNS, 'release_date'], release_rows)} rows")


if __name__ == "__main__":
    main()
