"""Any file, any bytes: whatever lands, the loader rejects a file it cannot read as that file's failure, naming the
file and a rule ("readable as CSV: …", "file is not empty", "header matches a known format", …), never with an
exception of its own that would fail the whole refresh and every later one. A dozen kinds of bad bytes per format
family (CSV, Parquet, XML, JSON, XLSX), at loader level on an in-memory warehouse."""

import gzip
import io
import random
import tempfile
from pathlib import Path

import duckdb
import openpyxl
import pytest

from orchestration.feeds import FEEDS
from orchestration.loading import FeedRejected, load_feed
from tests.helpers import FIXTURES, SAMPLE

# a good file of each family and the feed that reads it
GOOD = {
    "csv": ("kcs_monthly_partner", SAMPLE / "kcs_monthly_partner" / "published_releases_2025_01_2026_02.csv"),
    "xml": ("kcs_monthly_partner", FIXTURES / "kcs" / "nationtrade_2024_12.xml"),
    "json": ("partner_reported_trade", FIXTURES / "comtrade" / "monthly_kor_exports_2023_12.json"),
    "xlsx": ("partner_reported_trade", SAMPLE / "partner_reported_trade" / "DOTS_106_korea_rep.xlsx"),
}
HTML_ERROR = (FIXTURES / "kcs" / "html_error.html").read_bytes()


def _parquet(rows: bool = True) -> bytes:
    """The canonical long form as parquet: one plausible row, or none."""
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "long.parquet"
        duckdb.sql(f"""COPY (SELECT '2026-10' AS period, 'WLD' AS partner_code, 'export' AS flow, 'TOTAL' AS hs_code,
            65e9 AS value_usd WHERE {str(rows).lower()}) TO '{path}' (FORMAT parquet)""")
        return path.read_bytes()


def _xlsx(rows: list[list]) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def good_bytes(family: str) -> bytes:
    return _parquet() if family == "parquet" else GOOD[family][1].read_bytes()


def bad_files(family: str) -> dict[str, bytes]:
    """A dozen kinds of bad bytes for a file of `family`."""
    good, noise = good_bytes(family), random.Random(family).randbytes
    header_only = {
        "csv": good.split(b"\n")[0] + b"\n",
        "xml": b"<response><header><resultCode>00</resultCode></header><body><items/></body></response>",
        "json": b'{"elements": 0, "count": 0, "data": [], "error": ""}',
        "xlsx": _xlsx([["Exports, FOB to Partner Countries"]]),
        "parquet": _parquet(rows=False),
    }[family]
    structure = {
        "csv": b'period,partner_code,flow,value_usd\n2025-01,USA\nthis,line,has,five,fields\n"unterminated,quote\n',
        "xml": b"<response><header><resultCode>00</resultCode></header><body><items><item><year>2024.12",
        "json": b'{"count": 1, "data": [{"refYear": 2024, "primaryValue": ]}',
        "xlsx": _xlsx([["a table"], ["that is", "no DOTS", "workbook"]]),
        "parquet": good[:-12] + b"\x00" * 12,  # the footer overwritten
    }[family]
    return {
        "empty": b"",
        "header only": header_only,
        "random bytes": noise(4096),
        "truncated": good[: len(good) * 3 // 5],
        "html error page": HTML_ERROR,
        # a spreadsheet's "Unicode text" export: UTF-16, tab-separated
        "utf-16 tab-separated text": good_bytes("csv").decode().replace(",", "\t").encode("utf-16"),
        "an excel file renamed": good[:200] + b"PK" if family == "xlsx" else _xlsx([["period"], ["2025-01"]]),
        "a 10 MB line": b"x" * 10_000_000,
        "broken structure": structure,
        "nul bytes": b"\x00" * 5000,
        "gzip of a good file": gzip.compress(good),
        "another format's file": (FIXTURES / "comtrade" / "malformed.json").read_bytes() if family != "json"
        else good_bytes("csv"),
    }  # fmt: skip


CASES = [(family, kind) for family in ("csv", "parquet", "xml", "json", "xlsx") for kind in bad_files(family)]


@pytest.mark.parametrize(("family", "kind"), CASES)
def test_a_bad_file_is_rejected_naming_the_file_and_a_rule(tmp_path, family, kind):
    feed = "kcs_monthly_partner" if family == "parquet" else GOOD[family][0]
    path = tmp_path / "landing" / feed / f"bad_{kind.replace(' ', '_')}.{family}"
    path.parent.mkdir(parents=True)
    path.write_bytes(bad_files(family)[kind])
    with duckdb.connect() as con, pytest.raises(FeedRejected) as rejected:
        load_feed(FEEDS[feed], [path], con, sample_dir=tmp_path / "sample")
    assert rejected.value.errors, kind
    for error in rejected.value.errors:
        assert error.file.endswith(path.name) and error.rule, (kind, str(error))
    assert str(path).endswith(tuple(rejected.value.changed))


@pytest.mark.parametrize(
    ("content", "rule", "detail"),
    [
        # the file: a few lines of text with varying field counts
        (b"period,partner_code,flow,value_usd\n2025-01,USA,export,1,2,3\n2025-02,USA\n",
         "every row has the header's 4 fields", "2 row(s) have another number of fields"),
        (random.Random(1).randbytes(2000), "readable as CSV", "UnicodeError: the bytes are neither utf-8-sig, cp949"),
        (b"\x00" * 100, "file has data rows", "header only: ['\\x00"),
        (_parquet()[:100], "readable as Parquet", "InvalidInputException: Invalid Input Error: No magic bytes found"),
    ],
)  # fmt: skip
def test_the_rule_says_what_is_wrong(tmp_path, content, rule, detail):
    suffix = ".parquet" if rule.endswith("Parquet") else ".csv"
    path = tmp_path / "landing" / "kcs_monthly_partner" / f"bad{suffix}"
    path.parent.mkdir(parents=True)
    path.write_bytes(content)
    with duckdb.connect() as con, pytest.raises(FeedRejected) as rejected:
        load_feed(FEEDS["kcs_monthly_partner"], [path], con, sample_dir=tmp_path / "sample")
    [error] = rejected.value.errors
    assert (error.rule, error.detail[: len(detail)]) == (rule, detail)


def test_a_utf16_export_with_a_valid_header_is_read(tmp_path):
    """A spreadsheet's "Unicode text" is UTF-16 with a byte-order mark: read, not rejected for its encoding."""
    path = tmp_path / "landing" / "kcs_monthly_partner" / "utf16.csv"
    path.parent.mkdir(parents=True)
    path.write_bytes("period,partner_code,flow,value_usd\n2026-10,WLD,export,65000000000\n".encode("utf-16"))
    with duckdb.connect() as con:
        load = load_feed(FEEDS["kcs_monthly_partner"], [path], con, sample_dir=tmp_path / "sample")
        assert load.rows == 1
