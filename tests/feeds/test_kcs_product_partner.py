"""raw/kcs_product_partner: the shipped Korean downloads and OpenAPI `nitemtrade` bodies parse as the
refresh parses them (through `loading.parse_file`), with the values of the files."""

import csv
import urllib.parse
from pathlib import Path

import pytest

from orchestration.feeds.formats.kcs_products import NOT_A_COUNTRY
from orchestration.feeds.kcs_product_partner import KCS_PRODUCT_PARTNER
from orchestration.feeds.reference import iso2_to_iso3, partner_kinds
from orchestration.feeds.reference import iso3_by_korean_name as korean_names
from orchestration.feeds.spec import FeedError
from orchestration.loading import parse_file
from orchestration.settings import SEEDS_DIR
from tests.helpers import FIXTURES
from tests.helpers import SAMPLE as SAMPLE_ROOT

SAMPLE = SAMPLE_ROOT / "kcs_product_partner"
HS8542 = SAMPLE / "kcs_hs8542_by_country_monthly_2020_2026_08.csv"
HS2_YTD = SAMPLE / "kcs_hs2_by_country_2024_jan_jun.csv"
KCS = FIXTURES / "kcs"
NITEMTRADE = KCS / "nitemtrade_us_cn_8542_8703_2024_11_12.xml"
KEY = "s3cr3t+Key/with=="  # a decoded data.go.kr key has +, / and =; it must be URL-encoded exactly once
KEY_FORMS = (KEY, urllib.parse.quote(KEY, safe=""))


def parse(path: Path):
    return parse_file(KCS_PRODUCT_PARTNER, path)


def value(rows, **where) -> float:
    for column, wanted in where.items():
        rows = rows[rows[column] == wanted]
    return rows["value_usd"].sum()


# --- shipped sample: HS 8542 monthly exports by destination -----------------------------------------


@pytest.fixture(scope="module")
def hs8542():
    fmt, rows = parse(HS8542)
    assert fmt.name == "kcs_hs_monthly_ko"
    return rows


def test_hs8542_world_row_per_month_sums_all_ten_rows(hs8542):
    world = hs8542[hs8542.partner_code == "WLD"]
    assert len(world) == 80 and len(hs8542) == 80 * 10  # 2020-01 … 2026-08: 9 countries + WLD; OTHER not emitted
    assert "OTHER" not in set(hs8542.partner_code) and set(hs8542.flow) == {"export"}
    assert set(hs8542.hs_code) == {"8542"} and (hs8542.period_start == hs8542.period_end).all()
    annual = world.groupby(world.period_start.str[:4])["value_usd"].sum() / 1e9
    # PROVENANCE #7 states 82.9, 112.9 and 120.2 bn; 2022 is 112.847 bn, i.e. 112.85 rounded up once more
    assert annual.round(2)[["2020", "2022", "2024"]].tolist() == [82.88, 112.85, 120.19]
    # 2026-08: the upstream's own HS 8542 world total (data/sample/PROVENANCE.md, this file), +203 % on 2025-08
    august = world.set_index("period_start")["value_usd"]
    assert august["2026-08"] == 38_235_698_070 and round(august["2026-08"] / august["2025-08"] - 1, 2) == 2.03
    assert world["source_row"].tolist()[:2] == [2, 12]  # line of the month's first row


def test_us_takes_1_4_percent_of_korean_hs8542_exports_in_2024(hs8542):
    year = hs8542[hs8542.period_start.str.startswith("2024")]
    us, world = value(year, partner_code="USA"), value(year, partner_code="WLD")
    assert round(us / world, 4) == 0.0137  # 1.64 bn of 120.2 bn; China 35.2 %, Hong Kong 19.4 %
    assert round(value(year, partner_code="CHN") / world, 3) == 0.352


def test_a_month_without_its_rest_of_world_row_is_rejected(tmp_path):
    lines = HS8542.read_text(encoding="utf-8").splitlines()
    short = tmp_path / "hs8542.csv"
    short.write_text("\n".join(lines[:10]) + "\n", encoding="utf-8")  # 2020-01 without its OTHER row
    with pytest.raises(FeedError) as err:
        parse(short)
    assert err.value.rule == "every month has its rest-of-world (OTHER) row" and err.value.rows[0] == 2


# --- shipped sample: HS chapter × country, Jan–Jun 2024 ---------------------------------------------


@pytest.fixture(scope="module")
def hs2_ytd():
    fmt, rows = parse(HS2_YTD)
    assert fmt.name == "kcs_hs2_country_ytd_ko"
    return rows


def test_hs2_ytd_totals_in_usd_for_january_to_june(hs2_ytd):
    assert set(hs2_ytd.period_start) == {"2024-01"} and set(hs2_ytd.period_end) == {"2024-06"}
    assert value(hs2_ytd, partner_code="WLD", hs_code="TOTAL", flow="export") == 333_419_568_000
    assert value(hs2_ytd, partner_code="WLD", hs_code="TOTAL", flow="import") == 311_550_873_000
    assert value(hs2_ytd, partner_code="USA", hs_code="87", flow="export") == 22_871_585_000
    assert value(hs2_ytd, partner_code="USA", hs_code="87", flow="import") == 1_244_515_000
    assert value(hs2_ytd, partner_code="USA", flow="export") == 64_161_743_000  # PROVENANCE #19
    assert {"01", "02", "27", "99"} <= set(hs2_ytd.hs_code)  # chapters keep their leading zero
    assert hs2_ytd.partner_kind.notna().all()  # every partner name maps to a known code


def ytd_rows() -> list[dict]:
    with HS2_YTD.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def test_hs2_ytd_drops_only_the_non_country_partners(hs2_ytd):
    names = [r["국가"] for r in ytd_rows()]
    chapters = {r["HS코드"] for r in ytd_rows() if r["기간"] != "총계"}
    kept = sum(name not in NOT_A_COUNTRY for name in names)  # includes the 총계 row
    assert len(chapters) == 96 and len(hs2_ytd) == 2 * (kept + len(chapters))  # + a WLD row per chapter
    assert len(names) - kept == 62  # 60 기타국 rows, 2 국제통화기금 rows (all zero)
    assert hs2_ytd.loc[(hs2_ytd.partner_code == "WLD") & (hs2_ytd.hs_code == "TOTAL"), "source_row"].tolist() == [2, 2]


def test_hs2_ytd_world_row_per_chapter_sums_every_partner_row(hs2_ytd):
    """WLD × chapter = all rows of the chapter, the unspecified countries (기타국) included, as the 총계 row includes
    them: the countries alone fall short of it (HS 27 imports: 26.66 mn USD of 기타국)."""
    rows = [r for r in ytd_rows() if r["기간"] != "총계"]
    for chapter, flow, column in (("27", "import", "수입 금액"), ("85", "export", "수출 금액")):
        every_row = sum(float(r[column]) * 1000 for r in rows if r["HS코드"] == chapter)
        countries = sum(
            float(r[column]) * 1000 for r in rows if r["HS코드"] == chapter and r["국가"] not in NOT_A_COUNTRY
        )
        world = hs2_ytd[(hs2_ytd.partner_code == "WLD") & (hs2_ytd.hs_code == chapter) & (hs2_ytd.flow == flow)]
        assert world["value_usd"].tolist() == [every_row]
        assert world["partner_kind"].tolist() == ["world"]
        assert countries < every_row
    assert value(hs2_ytd, partner_code="WLD", hs_code="27", flow="import") == 83_287_568_000
    # the chapters of the world add up to the 총계 row within the rounding of the file's thousand-USD values
    chapters = hs2_ytd[(hs2_ytd.partner_code == "WLD") & (hs2_ytd.hs_code != "TOTAL")]
    for flow, total in (("export", 333_419_568_000), ("import", 311_550_873_000)):
        assert abs(value(chapters, flow=flow) - total) <= 0.5 * 1000 * len(rows)


def test_hs2_ytd_whose_rows_do_not_add_up_to_its_total_is_rejected(tmp_path):
    """A partner row missing (here the largest exports of a partner and chapter) makes a world figure short."""
    lines = HS2_YTD.read_bytes().splitlines(keepends=True)  # one line per row: no value spans lines
    rows = ytd_rows()
    assert len(lines) == len(rows) + 1
    largest = max(range(1, len(rows)), key=lambda i: float(rows[i]["수출 금액"]))  # rows[0] is the 총계 row
    path = tmp_path / HS2_YTD.name
    path.write_bytes(b"".join(lines[: largest + 1] + lines[largest + 2 :]))
    with pytest.raises(FeedError) as err:
        parse(path)
    assert err.value.rule == "the rows of every partner and chapter add up to the 총계 row (within their rounding)"
    assert err.value.rows == [2]


def test_hs2_ytd_without_its_total_row_has_no_world_rows(tmp_path):
    lines = HS2_YTD.read_bytes().splitlines(keepends=True)
    path = tmp_path / HS2_YTD.name
    path.write_bytes(b"".join(lines[:1] + lines[2:]))
    _, rows = parse(path)
    assert "WLD" not in set(rows.partner_code) and len(rows) > 0


@pytest.mark.parametrize(
    "name, rule",
    [
        ("kcs_hs2_by_country_2024.csv", "year-to-date file names its months (…_YYYY_jan_jun.csv)"),
        ("kcs_hs2_by_country_2024_jun_jan.csv", "year-to-date file names its months (…_YYYY_jan_jun.csv)"),
        ("kcs_hs2_by_country_2023_jan_jun.csv", "기간 is the year the file name gives"),
    ],
)
def test_hs2_ytd_months_come_from_the_file_name(tmp_path, name, rule):
    path = tmp_path / name
    path.write_bytes(b"".join(HS2_YTD.read_bytes().splitlines(keepends=True)[:4]))
    with pytest.raises(FeedError) as err:
        parse(path)
    assert err.value.rule == rule


def test_seed_maps_every_partner_name_of_both_files_to_a_known_code():
    rows = list(csv.DictReader((SEEDS_DIR / "country_names_ko.csv").open(encoding="utf-8", newline="")))
    names = [r["name_ko"] for r in rows]
    assert names == sorted(set(names)) and all(r["iso3"] for r in rows)
    with HS2_YTD.open(encoding="utf-8-sig", newline="") as f:
        ytd_names = {r["국가"] for r in csv.DictReader(f)} - NOT_A_COUNTRY - {""}
    with HS8542.open(encoding="utf-8", newline="") as f:
        monthly = {(r["국가명"], r["국가코드"]) for r in csv.DictReader(f) if r["국가코드"] != "OTHER"}
    assert {korean_names()[n] for n in ytd_names} <= set(partner_kinds())
    assert all(korean_names()[name] == iso2_to_iso3()[code] for name, code in monthly)  # names agree with codes


# --- OpenAPI nitemtrade bodies -------------------------------------------------------------------------


def test_nitemtrade_drops_the_total_row_and_keeps_real_hs8542_values():
    fmt, rows = parse(NITEMTRADE)
    assert fmt.name == "kcs_nitemtrade"
    assert len(rows) == 8 * 2 and set(rows.partner_code) == {"USA", "CHN"}  # 총계 row dropped
    assert set(rows.hs_code) == {"8542", "8703"} and set(rows.period_start) == {"2024-11", "2024-12"}
    us_dec = value(rows, partner_code="USA", hs_code="8542", flow="export", period_start="2024-12")
    assert us_dec == 117_016_376  # = the 8542 sample file's US 2024-12
    _, sample = parse(HS8542)
    assert us_dec == value(sample, partner_code="USA", period_start="2024-12")


@pytest.mark.parametrize(
    "fixture, rule, detail",
    [
        (KCS / "nitemtrade_error_99.xml", "OpenAPI response is not an error", "resultCode 99: 조회기간은 1년"),
        (KCS / "gateway_quota_exceeded.xml", "OpenAPI response is not an error", "daily request quota"),
        (
            FIXTURES / "kcs" / "nationtrade_2024_12.xml",
            "file is a nitemtrade response (items carry hsCd)",
            "landing/kcs_monthly_partner/",
        ),
    ],
)
def test_nitemtrade_parser_rejects_error_and_nationtrade_bodies(fixture, rule, detail):
    with pytest.raises(FeedError) as err:
        parse(fixture)
    assert err.value.rule == rule and detail in err.value.detail


def test_nitemtrade_without_rows_is_an_empty_frame():
    _, rows = parse(KCS / "nitemtrade_empty.xml")
    assert rows.empty and list(rows.columns) == [
        "period_start",
        "period_end",
        "partner_code",
        "partner_kind",
        "hs_code",
        "flow",
        "value_text",
        "value_usd",
        "source_row",
    ]


def test_parsed_files_pass_the_feed_suite(hs8542, hs2_ytd):
    from orchestration.validation.gx_suites import validate_file

    for frame in (hs8542, hs2_ytd, parse(NITEMTRADE)[1]):
        evaluated, failures = validate_file("kcs_product_partner", frame, "x")
        assert evaluated > 0 and failures == []
