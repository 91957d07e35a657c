"""SME export releases: sme_export_vintages answers "what did MSS say on date D"; sme_participation shows the
latest release. Expected figures come from the shipped releases file (data/sample/firm_size_exports/)."""

import csv
from datetime import date

import pytest

from tests.helpers import SAMPLE

RELEASES = SAMPLE / "firm_size_exports" / "mss_sme_exports_releases.csv"
AS_OF = """SELECT exports_usd FROM marts.sme_export_vintages
           WHERE source = 'MSS' AND firm_size = 'sme' AND destination_code = ? AND year = ?
             AND valid_from <= ? AND (valid_to IS NULL OR valid_to > ?)"""


def as_of(serving, year: int, day: str, destination: str = "WLD") -> float | None:
    rows = serving.execute(AS_OF, [destination, year, day, day]).fetchall()
    assert len(rows) <= 1, rows
    return rows[0][0] if rows else None


def annual_exports_in_file() -> list[dict]:
    with RELEASES.open(encoding="utf-8", newline="") as f:
        return [r for r in csv.DictReader(f) if r["period"] == "year" and r["measure"] == "exports_usd"]


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
    ],
)
def test_sme_exports_to_the_world_as_of_a_date(serving, year, day, expected_bn):
    value = as_of(serving, year, day)
    if expected_bn is None:
        assert value is None
    else:
        assert value / 1e9 == pytest.approx(expected_bn)


def test_every_dated_release_in_the_file_is_a_vintage(serving):
    expected = sorted(
        (int(r["year"]), r["destination_code"], float(r["value"]), date.fromisoformat(r["release_date"]), r["vintage"])
        for r in annual_exports_in_file()
    )
    served = serving.execute("""SELECT year, destination_code, exports_usd, release_date, release
        FROM marts.sme_export_vintages WHERE release_date IS NOT NULL ORDER BY ALL""").fetchall()
    assert served == expected
    assert len(served) == 8


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
        WHERE source = 'MSS' AND firm_size = 'sme' AND destination_code = 'WLD' AND year BETWEEN 2021 AND 2024
        ORDER BY year""").fetchall()
    latest = {}  # year -> the file's latest release of the world total
    for r in sorted(annual_exports_in_file(), key=lambda r: r["release_date"]):
        if r["destination_code"] == "WLD":
            latest[int(r["year"])] = r
    assert rows == [
        (y, float(r["value"]), r["vintage"], date.fromisoformat(r["release_date"])) for y, r in sorted(latest.items())
    ]
    assert [round(v / 1e9, 1) for _, v, _, _ in rows] == [115.5, 114.5, 111.8, 115.1]


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
