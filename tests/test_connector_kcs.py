"""Korea Customs product × partner files (shipped samples, OpenAPI nitemtrade) and the live OpenAPI client.

Parsers are exercised through `loading.parse_file`, as the refresh runs them; the client through a fake
transport serving the recorded-format bodies of tests/fixtures/kcs (never the network).
"""

import csv
import json
import urllib.parse
from pathlib import Path

import pytest

from orchestration.connectors.http import Client, ConnectorError, Response
from orchestration.connectors.kcs_openapi import API_KEY_ENV, SOURCE, FetchConfig, fetch
from orchestration.feeds import FEEDS
from orchestration.feeds.formats.kcs_products import NOT_A_COUNTRY, korean_names
from orchestration.feeds.kcs_product_partner import KCS_PRODUCT_PARTNER
from orchestration.feeds.reference import iso2_to_iso3, partner_kinds
from orchestration.feeds.spec import FeedError
from orchestration.loading import parse_file
from orchestration.settings import EXPECTATIONS_DIR, SEEDS_DIR
from tests.conftest import FIXTURES

SAMPLE = Path(__file__).parents[1] / "data" / "sample" / "kcs_product_partner"
HS8542 = SAMPLE / "kcs_hs8542_by_country_monthly_2020_2024.csv"
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
    assert len(world) == 60 and len(hs8542) == 60 * 10  # 9 countries + WLD a month; OTHER not emitted
    assert "OTHER" not in set(hs8542.partner_code) and set(hs8542.flow) == {"export"}
    assert set(hs8542.hs_code) == {"8542"} and (hs8542.period_start == hs8542.period_end).all()
    annual = world.groupby(world.period_start.str[:4])["value_usd"].sum() / 1e9
    # PROVENANCE #7 states 82.9, 112.9 and 120.2 bn; 2022 is 112.847 bn, i.e. 112.85 rounded up once more
    assert annual.round(2)[["2020", "2022", "2024"]].tolist() == [82.88, 112.85, 120.19]
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


def test_hs2_ytd_drops_only_the_non_country_partners(hs2_ytd):
    with HS2_YTD.open(encoding="utf-8-sig", newline="") as f:
        names = [r["국가"] for r in csv.DictReader(f)]
    kept = sum(name not in NOT_A_COUNTRY for name in names)  # includes the 총계 row
    assert len(hs2_ytd) == 2 * kept and len(names) - kept == 62  # 60 기타국 rows, 2 국제통화기금 rows (all zero)
    assert hs2_ytd.loc[hs2_ytd.partner_code == "WLD", "source_row"].tolist() == [2, 2]


@pytest.mark.parametrize("name, rule", [
    ("kcs_hs2_by_country_2024.csv", "year-to-date file names its months (…_YYYY_jan_jun.csv)"),
    ("kcs_hs2_by_country_2024_jun_jan.csv", "year-to-date file names its months (…_YYYY_jan_jun.csv)"),
    ("kcs_hs2_by_country_2023_jan_jun.csv", "기간 is the year the file name gives"),
])
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


@pytest.mark.parametrize("fixture, rule, detail", [
    (KCS / "nitemtrade_error_99.xml", "OpenAPI response is not an error", "resultCode 99: 조회기간은 1년"),
    (KCS / "gateway_quota_exceeded.xml", "OpenAPI response is not an error", "daily request quota"),
    (FIXTURES / "nationtrade_2024_12.xml", "file is a nitemtrade response (items carry hsCd)",
     "landing/kcs_monthly_partner/"),
])
def test_nitemtrade_parser_rejects_error_and_nationtrade_bodies(fixture, rule, detail):
    with pytest.raises(FeedError) as err:
        parse(fixture)
    assert err.value.rule == rule and detail in err.value.detail


def test_nitemtrade_without_rows_is_an_empty_frame():
    _, rows = parse(KCS / "nitemtrade_empty.xml")
    assert rows.empty and list(rows.columns) == ["period_start", "period_end", "partner_code", "partner_kind",
                                                  "hs_code", "flow", "value_text", "value_usd", "source_row"]


def test_parsed_files_pass_the_feed_suite(hs8542, hs2_ytd):
    if not (EXPECTATIONS_DIR / "kcs_product_partner.json").exists():
        pytest.skip("expectations/kcs_product_partner.json not written yet")
    from orchestration.validation.gx_suites import validate_file

    for frame in (hs8542, hs2_ytd, parse(NITEMTRADE)[1]):
        evaluated, failures = validate_file("kcs_product_partner", frame, "x")
        assert evaluated > 0 and failures == []


# --- live client, fake transport ------------------------------------------------------------------------

def serve(answer):
    """A transport answering `answer(params) -> (status, body)`; records every URL it was asked for."""
    calls = []

    def transport(url: str, headers: dict[str, str]) -> Response:
        calls.append(url)
        status, body = answer(dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query)))
        return Response(status, {"content-type": "text/xml;charset=UTF-8"}, body, url)

    return transport, calls


@pytest.fixture
def key(monkeypatch):
    monkeypatch.setenv(API_KEY_ENV, KEY)


def client(tmp_path: Path, transport, sleeps: list | None = None) -> Client:
    sleeps = [] if sleeps is None else sleeps
    return Client(SOURCE, tmp_path / "responses" / SOURCE, transport, sleep=sleeps.append)


def landed(tmp_path: Path) -> list[Path]:
    return sorted(p for p in (tmp_path / "landing").rglob("*") if p.is_file())


def pages(params):
    page = params["pageNo"]
    return 200, (KCS / f"nitemtrade_us_8542_2024_01_03_page{page}.xml").read_bytes()


def test_26_months_take_three_calls_of_at_most_12_months(tmp_path, key):
    body = (FIXTURES / "nationtrade_2024_12.xml").read_bytes()
    transport, calls = serve(lambda params: (200, body))
    paths = fetch(FetchConfig(start="202301", end="202502", countries=["US"]), client(tmp_path, transport),
                  tmp_path / "landing")
    windows = [(q["strtYymm"], q["endYymm"]) for q in
               (dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(u).query)) for u in calls)]
    assert windows == [("202301", "202312"), ("202401", "202412"), ("202501", "202502")]
    assert all(u.startswith("https://apis.data.go.kr/1220000/nationtrade/getNationtradeList?") for u in calls)
    assert [p.name for p in paths] == ["kcs_nationtrade_US_202301_202312.xml", "kcs_nationtrade_US_202401_202412.xml",
                                       "kcs_nationtrade_US_202501_202502.xml"]
    assert {p.parent.name for p in paths} == {"kcs_monthly_partner"} and landed(tmp_path) == paths
    assert all(p.read_bytes() == body for p in paths)  # landed unchanged
    assert parse_file(FEEDS["kcs_monthly_partner"], paths[0])[0].name == "kcs_nationtrade"


def test_a_truncated_first_page_is_followed_by_the_next(tmp_path, key):
    transport, calls = serve(pages)
    config = FetchConfig(operation="nitemtrade", start="202401", end="202403", countries=["US"], hs_codes=["8542"])
    paths = fetch(config, client(tmp_path, transport), tmp_path / "landing")
    assert [urllib.parse.parse_qs(urllib.parse.urlsplit(u).query)["pageNo"] for u in calls] == [["1"], ["2"]]
    assert [p.name for p in paths] == ["kcs_nitemtrade_US_8542_202401_202403.xml",
                                       "kcs_nitemtrade_US_8542_202401_202403_p2.xml"]
    assert {p.parent.name for p in paths} == {"kcs_product_partner"} and landed(tmp_path) == paths  # no .part left
    rows = [parse(p)[1] for p in paths]
    exports = [r[r.flow == "export"] for r in rows]
    assert [e.period_start.tolist() for e in exports] == [["2024-01", "2024-02"], ["2024-03"]]
    assert value(exports[1], partner_code="USA") == 173_666_531


def test_retries_a_server_error_then_lands(tmp_path, key):
    answers = iter([(503, b"busy"), (200, (KCS / "nitemtrade_us_cn_8542_8703_2024_11_12.xml").read_bytes())])
    sleeps = []
    transport, _ = serve(lambda params: next(answers))
    config = FetchConfig(operation="nitemtrade", start="202411", end="202412", countries=["US"], hs_codes=["8542"])
    assert len(fetch(config, client(tmp_path, transport, sleeps), tmp_path / "landing")) == 1
    assert sleeps == [2.0]


def short_page(params):
    if params["pageNo"] == "1":
        return pages(params)
    return 200, (KCS / "nitemtrade_empty.xml").read_bytes().replace(b"<totalCount>0", b"<totalCount>4")


def read(name: str):
    return lambda params: (200, (KCS / name).read_bytes())


@pytest.mark.parametrize("answer, rule, detail", [
    (read("nitemtrade_error_99.xml"), "OpenAPI response is not an error", "resultCode 99"),
    (read("gateway_quota_exceeded.xml"), "OpenAPI response is not an error",
     "LIMITED_NUMBER_OF_SERVICE_REQUESTS_EXCEEDS_ERROR"),
    (read("gateway_key_not_registered.xml"), "OpenAPI response is not an error", "SERVICE_KEY_IS_NOT_REGISTERED"),
    (read("html_error.html"), "response is XML", "<!DOCTYPE html"),
    (lambda params: (200, b'{"response": {"header": {"resultCode": "00"}}}'), "response is XML", "{"),
    (lambda params: (200, NITEMTRADE.read_bytes()[:700]), "well-formed XML", ""),
    (short_page, "all rows returned (totalCount)", "2 items for totalCount 4"),
    (lambda params: pages({"pageNo": "1"}), "all rows returned (totalCount)", "repeats an earlier page"),
    (lambda params: (403, NITEMTRADE.read_bytes()), "server answers HTTP 200", "HTTP 403"),
], ids=["result99", "quota", "key", "html", "json", "malformed", "short", "same-page", "http403"])
def test_bad_answers_are_rejected_kept_and_never_landed(tmp_path, key, answer, rule, detail):
    transport, _ = serve(answer)
    config = FetchConfig(operation="nitemtrade", start="202401", end="202403", countries=["US"], hs_codes=["8542"])
    with pytest.raises(ConnectorError) as err:
        fetch(config, client(tmp_path, transport), tmp_path / "landing")
    assert err.value.source == SOURCE and err.value.rule == rule and detail in err.value.detail
    assert err.value.saved.exists() and err.value.saved.parent == tmp_path / "responses" / SOURCE
    assert landed(tmp_path) == []


def test_one_failing_window_lands_nothing_of_the_fetch(tmp_path, key):
    good, quota = (FIXTURES / "nationtrade_2024_12.xml").read_bytes(), (KCS / "gateway_quota_exceeded.xml").read_bytes()
    transport, calls = serve(lambda params: (200, quota if params["strtYymm"] == "202401" else good))
    with pytest.raises(ConnectorError, match="daily request quota"):
        fetch(FetchConfig(start="202301", end="202412", countries=["US"]), client(tmp_path, transport),
              tmp_path / "landing")
    assert len(calls) == 2 and landed(tmp_path) == []


def test_no_rows_lands_nothing_and_is_no_error(tmp_path, key):
    transport, calls = serve(read("nitemtrade_empty.xml"))
    config = FetchConfig(operation="nitemtrade", start="202401", end="202401", countries=["US"], hs_codes=["8542"])
    assert fetch(config, client(tmp_path, transport), tmp_path / "landing") == []
    assert len(calls) == 1 and landed(tmp_path) == []


def test_missing_key_or_bad_config_fail_before_any_call(tmp_path, monkeypatch):
    transport, calls = serve(read("nitemtrade_empty.xml"))
    monkeypatch.delenv(API_KEY_ENV, raising=False)
    with pytest.raises(ConnectorError) as err:
        fetch(FetchConfig(start="202401", end="202412"), client(tmp_path, transport), tmp_path / "landing")
    assert err.value.rule == "service key set in KCS_SERVICE_KEY"
    monkeypatch.setenv(API_KEY_ENV, KEY)
    for config in (FetchConfig(operation="nitemtrade", start="202401", end="202412"),
                   FetchConfig(start="2024-01", end="202412"), FetchConfig(start="202412", end="202401")):
        with pytest.raises(ConnectorError) as err:
            fetch(config, client(tmp_path, transport), tmp_path / "landing")
        assert err.value.rule == "fetch config is valid"
    assert calls == []


@pytest.mark.parametrize("env_key", KEY_FORMS, ids=["decoded", "encoded"])
def test_the_key_is_sent_once_encoded_and_never_stored_or_shown(tmp_path, monkeypatch, env_key):
    monkeypatch.setenv(API_KEY_ENV, env_key)
    answers = iter([(200, NITEMTRADE.read_bytes()), (200, b'{"error": "bad key ' + KEY.encode() + b'"}')])
    transport, calls = serve(lambda params: next(answers))
    config = FetchConfig(operation="nitemtrade", start="202411", end="202412", countries=["US", "CN"],
                         hs_codes=["8542"])
    with pytest.raises(ConnectorError) as err:
        fetch(config, client(tmp_path, transport), tmp_path / "landing")
    assert [dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(u).query))["serviceKey"] for u in calls] == [KEY, KEY]
    files = list(tmp_path.rglob("*"))
    metadata = [json.loads(p.read_text(encoding="utf-8")) for p in files if p.name.endswith(".meta.json")]
    assert len(metadata) == 2 and all("serviceKey=***" in m["url"] for m in metadata)
    for form in KEY_FORMS:
        assert all(form not in p.name for p in files)
        assert all(form not in json.dumps(m) for m in metadata)
        assert form not in str(err.value)

