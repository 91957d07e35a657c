"""Bad input stops the refresh before publication: the error names file and rule, the landing file
is kept (moved to quarantine unchanged, with a reason file), and serving.duckdb (what BI users read)
stays byte-for-byte as it was."""

import duckdb
import pytest

from orchestration.cli import failure_messages
from tests.helpers import FIXTURES, assert_rejected, drop, quarantined, refresh, sha256
from tests.republished import CRUDE_2024, PUBLISHED, PUBLISHED_HEADER, URL

KCS = "kcs_monthly_partner"
LONG_HEADER = "period,partner_code,flow,value_usd\n"


def test_missing_column(warehouse):
    bad = drop(
        warehouse, KCS, "nine_markets_2025_01.csv", "period,region_code,region_name,import_usd\n2025-01,US,미국,100\n"
    )
    assert_rejected(
        warehouse,
        bad,
        "landing/kcs_monthly_partner/nine_markets_2025_01.csv",
        "kcs_nine_markets has all required columns",
        "export_usd",
    )


def test_unparseable_number(warehouse):
    bad = drop(warehouse, KCS, "long.csv", LONG_HEADER + "2025-01,USA,export,1000\n2025-01,CHN,export,12x4\n")
    assert_rejected(warehouse, bad, "long.csv", "value is a number", "row(s) 3", "12x4")


def test_negative_value(warehouse):
    bad = drop(warehouse, KCS, "long.csv", LONG_HEADER + "2025-01,USA,export,-5\n")
    assert_rejected(warehouse, bad, "long.csv", "value is not negative", "row(s) 2")


def test_duplicated_period_partner_row(warehouse):
    bad = drop(warehouse, KCS, "long.csv", LONG_HEADER + "2025-01,USA,export,5\n2025-01,USA,export,5\n")
    assert_rejected(warehouse, bad, "long.csv", "one row per period, partner, flow and product", "row(s) 2, 3")


def test_unknown_partner_code(warehouse):
    bad = drop(warehouse, KCS, "long.csv", LONG_HEADER + "2025-01,USA,export,5\n2025-01,XYZ,export,5\n")
    assert_rejected(warehouse, bad, "long.csv", "partner code is known", "row(s) 3", "XYZ")


def test_month_from_two_files_of_the_same_vintage_disagrees(warehouse):
    # The nine-markets sample (vintage 2026-08-31, data/sample/vintages.csv) says US exports in 2024-12
    # were 11,893,820,362 USD; a file of the same vintage must say the same.
    bad = drop(warehouse, KCS, "other__vintage-2026-08-31.csv", LONG_HEADER + "2024-12,USA,export,12000000000\n")
    message = assert_rejected(warehouse, bad, "overlapping months of the same vintage agree", "other__vintage")
    assert "trade_region_2021_08_2026_07.csv" in message  # both sides of the disagreement are named


def test_empty_file(warehouse):
    bad = drop(warehouse, KCS, "empty.csv", "")
    assert_rejected(warehouse, bad, "empty.csv", "file is not empty")


def test_header_only_file(warehouse):
    bad = drop(warehouse, KCS, "header_only.csv", LONG_HEADER)
    assert_rejected(warehouse, bad, "header_only.csv", "file has data rows")


def test_openapi_error_body(warehouse):
    bad = drop(warehouse, KCS, "nationtrade.xml", (FIXTURES / "kcs" / "nationtrade_error_99.xml").read_bytes())
    assert_rejected(
        warehouse, bad, "nationtrade.xml", "OpenAPI response is not an error", "resultCode 99", "조회기간은"
    )


def test_unknown_file_type(warehouse):
    bad = drop(warehouse, KCS, "exports.xlsx", b"PK\x03\x04")
    assert_rejected(warehouse, bad, "exports.xlsx", "file type is accepted")


def test_bad_firm_size_feed(warehouse):
    header = "source,vintage,year,period,firm_size,destination_code,measure,value,unit\n"
    bad = drop(
        warehouse,
        "firm_size_exports",
        "mss_2025.csv",
        header + "MSS,published,2025,year,sme,WLD,share_of_total_exports,17.2,ratio\n",
    )
    assert_rejected(
        warehouse, bad, "mss_2025.csv", "shares are ratios between 0 and 1", "row(s) 2", feed="firm_size_exports"
    )


def test_published_figure_without_citation(warehouse):
    bad = drop(
        warehouse, PUBLISHED, "kita.csv", PUBLISHED_HEADER + CRUDE_2024.format(value=14249e6, unit="USD", url="")
    )
    assert_rejected(warehouse, bad, "kita.csv", "citation is a web address (http or https)", "row(s) 2", feed=PUBLISHED)


def test_published_figure_in_an_unknown_unit(warehouse):
    # "USD mn" is how the press prints it; the feed form carries full USD (the converter multiplies)
    bad = drop(
        warehouse, PUBLISHED, "kita.csv", PUBLISHED_HEADER + CRUDE_2024.format(value=14249, unit="USD mn", url=URL)
    )
    assert_rejected(warehouse, bad, "kita.csv", "unit is known", "row(s) 2", "USD mn", feed=PUBLISHED)


def test_two_figures_of_one_release_that_disagree(warehouse):
    rows = CRUDE_2024.format(value=14249e6, unit="USD", url=URL) + CRUDE_2024.format(value=15249e6, unit="USD", url=URL)
    bad = drop(warehouse, PUBLISHED, "kita.csv", PUBLISHED_HEADER + rows)
    assert_rejected(warehouse, bad, "kita.csv", "figures of one release agree", "row(s) 2, 3", feed=PUBLISHED)


def test_a_declared_conflict_of_one_release_is_kept(republished):
    """Two figures of one release that disagree, declared a conflict (republished.DECLARED_CONFLICT): both kept."""
    with duckdb.connect(str(republished.root / "warehouse.duckdb"), read_only=True) as con:
        kept = con.execute(
            "SELECT value, conflict FROM raw.published_figures WHERE source_file LIKE '%kita.csv' ORDER BY value"
        ).fetchall()
    assert kept == [(14249e6, True), (15249e6, True)]


def test_unparseable_release_date(warehouse):
    header = "source,vintage,release_date,year,period,firm_size,destination_code,measure,value,unit\n"
    bad = drop(
        warehouse,
        "firm_size_exports",
        "mss_2025.csv",
        header
        + "MSS,preliminary,2026-01-22,2025,year,sme,WLD,exports_usd,120000000000,USD\n"
        + "MSS,revised,2026-02-30,2024,year,sme,WLD,exports_usd,116000000000,USD\n"
        + "MSS,published,,2024,year,sme,USA,exports_usd,18800000000,USD\n",  # no date: allowed
    )
    assert_rejected(
        warehouse,
        bad,
        "mss_2025.csv",
        "release date is a date (YYYY-MM-DD) when given",
        "row(s) 3",
        "2026-02-30",
        feed="firm_size_exports",
    )


def test_mart_rule_failure_stops_publication(warehouse):
    """Rows that pass every file and table rule but break a mart rule (country shares of 2026-10, the month
    after the sample's world series, sum to 1.23): the dbt test fails, so the serving file is not replaced even
    though raw was promoted."""
    drop(
        warehouse,
        KCS,
        "odd_month.csv",
        LONG_HEADER + "2026-10,WLD,export,65000000000\n2026-10,USA,export,40000000000\n"
        "2026-10,CHN,export,40000000000\n",
    )
    before = sha256(warehouse / "serving.duckdb")
    result = refresh(warehouse)
    message = "\n".join(failure_messages(result))
    assert not result.success
    assert "check marts/destination_share / assert_country_shares_sum_to_at_most_one failed" in message
    assert sha256(warehouse / "serving.duckdb") == before


def test_after_quarantine_the_next_good_file_is_processed(warehouse):
    """A rejected file is quarantined; the next good file publishes normally; the same bad bytes dropped
    again go straight back to quarantine instead of failing every refresh."""
    bad_content = LONG_HEADER + "2025-01,USA,export,-5\n"
    drop(warehouse, KCS, "long.csv", bad_content)
    assert not refresh(warehouse).success
    drop(warehouse, KCS, "good.csv", LONG_HEADER + "2026-10,WLD,export,65000000000\n2026-10,USA,export,13000000000\n")
    drop(warehouse, KCS, "long_again.csv", bad_content)
    before = sha256(warehouse / "serving.duckdb")
    result = refresh(warehouse)
    assert result.success, failure_messages(result)
    assert sha256(warehouse / "serving.duckdb") != before
    _, reason = quarantined(warehouse, KCS, "long_again.csv")
    assert reason["stage"] == "repeat"
    assert not (warehouse / "landing" / KCS / "long_again.csv").exists()
    with duckdb.connect(str(warehouse / "serving.duckdb"), read_only=True) as con:
        share = con.execute(
            "SELECT share FROM marts.destination_share WHERE partner_code = 'USA' "
            "AND frequency = 'month' AND period_start = DATE '2026-10-01'"
        ).fetchone()[0]
    assert share == 0.2


def test_the_openapi_xml_format_is_published(warehouse):
    drop(warehouse, KCS, "nationtrade_2024_12.xml", (FIXTURES / "kcs" / "nationtrade_2024_12.xml").read_bytes())
    result = refresh(warehouse)
    assert result.success, failure_messages(result)
    with duckdb.connect(str(warehouse / "serving.duckdb"), read_only=True) as con:
        # The XML repeats real Dec-2024 values: it agrees with the nine-markets file and is kept as lineage.
        files = con.execute(
            "SELECT count(*) FROM marts.destination_share WHERE frequency = 'month' "
            "AND period_start = '2024-12-01' AND partner_code IN ('USA', 'CHN')"
        ).fetchone()
        assert files[0] == 2


def test_the_oecd_tec_format_is_published(republished):
    """The OECD TEC file of firm_size_exports (republished.OECD_TEC)."""
    with duckdb.connect(str(republished.root / "serving.duckdb"), read_only=True) as con:
        sme = con.execute("""SELECT exports_usd, share_of_destination, share_of_destination_basis, exporters
            FROM marts.sme_participation WHERE source = 'OECD_TEC' AND year = 2021 AND firm_size = 'sme'
            AND destination_code = 'WLD'""").fetchone()
    assert sme == (pytest.approx(112e9), pytest.approx(112 / 642), "same source", 92000)


def test_landing_link_cannot_reach_outside_files(warehouse, tmp_path):
    secret = tmp_path / "outside.csv"
    secret.write_text(LONG_HEADER + "2025-01,USA,export,5\n")
    link = warehouse / "landing" / KCS / "link.csv"
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(secret)
    before = sha256(warehouse / "serving.duckdb")
    result = refresh(warehouse)
    assert not result.success
    assert "feed file is a regular file, not a link" in "\n".join(failure_messages(result))
    assert sha256(warehouse / "serving.duckdb") == before
    assert secret.exists() and not link.exists()  # the link itself went to quarantine, the target is untouched
