"""SME export releases: sme_export_vintages answers "what did MSS say on date D"; sme_participation shows the
latest release. Expected figures come from the shipped releases files (data/sample/firm_size_exports/)."""

import csv
from datetime import date

import pytest

from tests.helpers import SAMPLE

RELEASE_FILES = [
    SAMPLE / "firm_size_exports" / name
    for name in ("mss_sme_exports_releases.csv", "sme_exports_releases_2023_2025.csv")
]
CUSTOMS_WORLD = SAMPLE / "kcs_monthly_partner" / "customs_export_dlr_1990_01_2026_07.csv"
AS_OF = """SELECT exports_usd FROM marts.sme_export_vintages
           WHERE source = 'MSS' AND firm_size = 'sme' AND destination_code = ? AND year = ?
             AND valid_from <= ? AND (valid_to IS NULL OR valid_to > ?)"""


def as_of(serving, year: int, day: str, destination: str = "WLD") -> float | None:
    rows = serving.execute(AS_OF, [destination, year, day, day]).fetchall()
    assert len(rows) <= 1, rows
    return rows[0][0] if rows else None


def annual_exports_in_files() -> list[dict]:
    """Every dated release of annual exports; two reports of one release (same source, size, year, destination,
    day and value) are one, labelled by the report that names the stage (not `published`)."""
    releases = {}
    for path in RELEASE_FILES:
        with path.open(encoding="utf-8", newline="") as f:
            for r in csv.DictReader(f):
                if r["period"] == "year" and r["measure"] == "exports_usd":
                    key = tuple(r[c] for c in ("source", "firm_size", "year", "destination_code", "release_date"))
                    key += (float(r["value"]),)
                    if key not in releases or releases[key]["vintage"] == "published":
                        releases[key] = r
    return list(releases.values())


def mss_world_as_of_in_files(year: int, day: str) -> float | None:
    """The MSS SME world figure of `year` known on `day`: the latest release by then (the files, not the marts)."""
    known = [
        r
        for r in annual_exports_in_files()
        if (r["source"], r["firm_size"], r["destination_code"], int(r["year"])) == ("MSS", "sme", "WLD", year)
        and r["release_date"] <= day
    ]
    return float(max(known, key=lambda r: r["release_date"])["value"]) if known else None


@pytest.mark.parametrize(
    "year,day,expected_bn",
    [
        (2021, "2022-01-19", None),  # not yet released
        (2021, "2022-01-20", 117.1),  # first release
        (2021, "2024-01-29", 117.1),
        (2021, "2024-01-30", 115.5),  # revised
        (2022, "2023-03-01", 117.5),  # first release (dated 2023-02-28: the source gives the month only)
        (2022, "2024-01-29", 117.5),
        (2022, "2024-02-01", 114.5),
        (2022, "2026-12-01", 114.5),
        (2023, "2025-06-01", 111.8),  # preliminary of 2024-01-30
        (2023, "2026-01-28", 109.7),  # revised, quoted in the release of 2026-01-28
        (2024, "2025-01-22", None),
        (2024, "2025-06-01", 115.1),  # preliminary of 2025-01-23
        (2024, "2026-01-27", 115.1),
        (2024, "2026-01-28", 111.0),  # revised
        (2025, "2026-01-28", 118.6),  # preliminary
    ],
)
def test_sme_exports_to_the_world_as_of_a_date(serving, year, day, expected_bn):
    in_files = mss_world_as_of_in_files(year, day)
    assert (None if in_files is None else round(in_files / 1e9, 1)) == expected_bn
    assert as_of(serving, year, day) == in_files


def test_every_dated_release_in_the_files_is_a_vintage(serving):
    expected = sorted(
        (r["source"], r["firm_size"], int(r["year"]), r["destination_code"], float(r["value"]))
        + (date.fromisoformat(r["release_date"]), r["vintage"])
        for r in annual_exports_in_files()
    )
    served = serving.execute("""SELECT source, firm_size, year, destination_code, exports_usd, release_date, release
        FROM marts.sme_export_vintages WHERE release_date IS NOT NULL ORDER BY ALL""").fetchall()
    assert served == expected
    # 8 of 2022-2025, 13 of the 2025-2026 releases, less 3 figures of 2025-01-23 that both files carry
    assert len(served) == 18


def test_revisions_of_the_2021_and_2022_totals(serving):
    rows = serving.execute("""SELECT year, release, valid_from, valid_to, is_latest, revision_usd,
            revision_since_first_release
        FROM marts.sme_export_vintages WHERE source = 'MSS' AND firm_size = 'sme' AND destination_code = 'WLD'
          AND year IN (2021, 2022) AND release_date IS NOT NULL ORDER BY year, valid_from""").fetchall()
    assert rows == [
        (2021, "first release", date(2022, 1, 20), date(2024, 1, 30), False, None, 0.0),
        (2021, "revised", date(2024, 1, 30), None, True, pytest.approx(-1.6e9), pytest.approx(115.5 / 117.1 - 1)),
        (2022, "first release", date(2023, 2, 28), date(2024, 1, 30), False, None, 0.0),
        (2022, "revised", date(2024, 1, 30), None, True, pytest.approx(-3.0e9), pytest.approx(114.5 / 117.5 - 1)),
    ]


def test_sme_participation_shows_the_latest_release(serving):
    rows = serving.execute("""SELECT year, exports_usd, vintage, release_date FROM marts.sme_participation
        WHERE source = 'MSS' AND firm_size = 'sme' AND destination_code = 'WLD' AND year BETWEEN 2021 AND 2025
        ORDER BY year""").fetchall()
    latest = {}  # year -> the files' latest release of the world total
    for r in sorted(annual_exports_in_files(), key=lambda r: r["release_date"]):
        if (r["source"], r["destination_code"]) == ("MSS", "WLD"):
            latest[int(r["year"])] = r
    assert rows == [
        (y, float(r["value"]), r["vintage"], date.fromisoformat(r["release_date"])) for y, r in sorted(latest.items())
    ]
    # 2023 and 2024 as revised in the release of 2026-01-28, 2025 as first released that day
    assert [round(v / 1e9, 1) for _, v, _, _ in rows] == [115.5, 114.5, 109.7, 111.0, 118.6]


def test_the_customs_firm_size_series_stands_beside_mss_never_in_it(serving):
    """2025 SME exports: MSS 118.6 bn vs the customs firm-characteristics release (TEC) 113.5 bn: two sources."""
    sme_2025 = dict(
        serving.execute("""SELECT source, exports_usd FROM marts.sme_participation
        WHERE year = 2025 AND firm_size = 'sme' AND destination_code = 'WLD'""").fetchall()
    )
    assert sme_2025 == {"MSS": pytest.approx(118.6e9), "KOSTAT_TEC": pytest.approx(113.5e9)}
    tec = dict(
        serving.execute("""SELECT firm_size, exports_usd FROM marts.sme_participation
        WHERE year = 2025 AND source = 'KOSTAT_TEC' AND destination_code = 'WLD'""").fetchall()
    )
    assert tec == {"sme": 113.5e9, "middle": 125.2e9, "large": 468.8e9}
    # TEC splits all exports by firm size: the three add up to 99.7 % of customs exports of 2025
    with CUSTOMS_WORLD.open(encoding="utf-8", newline="") as f:
        customs_2025 = sum(float(r["value"]) for r in csv.DictReader(f) if r["date"].startswith("2025"))
    assert 0.99 < sum(tec.values()) / customs_2025 < 1


def test_undated_releases_stay_out_of_as_of_queries(serving):
    # The published file's undated 2022 figure (117.46 bn) is kept, but never the answer of an as-of query
    undated = serving.execute("""SELECT exports_usd, valid_from, valid_to, is_latest, revision_usd
        FROM marts.sme_export_vintages WHERE source = 'MSS' AND firm_size = 'sme' AND destination_code = 'WLD'
          AND year = 2022 AND release_date IS NULL""").fetchall()
    assert undated == [(pytest.approx(117.46e9), None, None, False, None)]
    # a series with undated figures only: its figure is the latest, as in sme_participation
    only = serving.execute("""SELECT exports_usd, is_latest FROM marts.sme_export_vintages
        WHERE source = 'MSS' AND firm_size = 'sme' AND destination_code = 'WLD' AND year = 2020""").fetchall()
    assert only == [(100.7e9, True)]


def test_one_figure_per_series_as_of_any_date(serving):
    for day in ("2022-06-30", "2023-03-01", "2024-06-30", "2025-06-30"):
        duplicated = serving.execute(
            """SELECT source, year, firm_size, destination_code FROM marts.sme_export_vintages
            WHERE valid_from <= ? AND (valid_to IS NULL OR valid_to > ?) GROUP BY ALL HAVING count(*) > 1""",
            [day, day],
        ).fetchall()
        assert duplicated == [], day


def test_quarters_and_growth_rates_stay_out_of_the_marts(serving):
    # 2022-Q1 exports to Thailand and the 2022 growth rates are in the file, not in the annual marts
    for mart in ("sme_export_vintages", "sme_participation"):
        found = serving.execute(f"SELECT count(*) FROM marts.{mart} WHERE destination_code = 'THA'").fetchone()[0]
        assert found == 0, mart
    us_2022 = serving.execute("""SELECT count(*) FROM marts.sme_participation
        WHERE source = 'MSS' AND year = 2022 AND destination_code = 'USA'""").fetchone()[0]
    assert us_2022 == 0
