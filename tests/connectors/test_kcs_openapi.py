"""The live Korea Customs OpenAPI client, through a fake transport serving the recorded-format bodies of
tests/fixtures/kcs (never the network)."""

import json
import urllib.parse
from pathlib import Path

import pytest

from orchestration.connectors.http import Client, ConnectorError, Response
from orchestration.connectors.kcs_openapi import API_KEY_ENV, SOURCE, FetchConfig, fetch
from orchestration.feeds import FEEDS
from orchestration.loading import parse_file
from tests.helpers import FIXTURES

KCS = FIXTURES / "kcs"
NITEMTRADE = KCS / "nitemtrade_us_cn_8542_8703_2024_11_12.xml"
KEY = "s3cr3t+Key/with=="  # a decoded data.go.kr key has +, / and =; it must be URL-encoded exactly once
KEY_FORMS = (KEY, urllib.parse.quote(KEY, safe=""))


def parse(path: Path):
    return parse_file(FEEDS["kcs_product_partner"], path)


def value(rows, **where) -> float:
    for column, wanted in where.items():
        rows = rows[rows[column] == wanted]
    return rows["value_usd"].sum()


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
    body = (KCS / "nationtrade_2024_12.xml").read_bytes()
    transport, calls = serve(lambda params: (200, body))
    paths = fetch(
        FetchConfig(start="202301", end="202502", countries=["US"]), client(tmp_path, transport), tmp_path / "landing"
    )
    windows = [
        (q["strtYymm"], q["endYymm"])
        for q in (dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(u).query)) for u in calls)
    ]
    assert windows == [("202301", "202312"), ("202401", "202412"), ("202501", "202502")]
    assert all(u.startswith("https://apis.data.go.kr/1220000/nationtrade/getNationtradeList?") for u in calls)
    assert [p.name for p in paths] == [
        "kcs_nationtrade_US_202301_202312.xml",
        "kcs_nationtrade_US_202401_202412.xml",
        "kcs_nationtrade_US_202501_202502.xml",
    ]
    assert {p.parent.name for p in paths} == {"kcs_monthly_partner"} and landed(tmp_path) == paths
    assert all(p.read_bytes() == body for p in paths)  # landed unchanged
    assert parse_file(FEEDS["kcs_monthly_partner"], paths[0])[0].name == "kcs_nationtrade"


def test_a_truncated_first_page_is_followed_by_the_next(tmp_path, key):
    transport, calls = serve(pages)
    config = FetchConfig(operation="nitemtrade", start="202401", end="202403", countries=["US"], hs_codes=["8542"])
    paths = fetch(config, client(tmp_path, transport), tmp_path / "landing")
    assert [urllib.parse.parse_qs(urllib.parse.urlsplit(u).query)["pageNo"] for u in calls] == [["1"], ["2"]]
    assert [p.name for p in paths] == [
        "kcs_nitemtrade_US_8542_202401_202403.xml",
        "kcs_nitemtrade_US_8542_202401_202403_p2.xml",
    ]
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


@pytest.mark.parametrize(
    "answer, rule, detail",
    [
        (read("nitemtrade_error_99.xml"), "OpenAPI response is not an error", "resultCode 99"),
        (
            read("gateway_quota_exceeded.xml"),
            "OpenAPI response is not an error",
            "LIMITED_NUMBER_OF_SERVICE_REQUESTS_EXCEEDS_ERROR",
        ),
        (read("gateway_key_not_registered.xml"), "OpenAPI response is not an error", "SERVICE_KEY_IS_NOT_REGISTERED"),
        (read("html_error.html"), "response is XML", "<!DOCTYPE html"),
        (lambda params: (200, b'{"response": {"header": {"resultCode": "00"}}}'), "response is XML", "{"),
        (lambda params: (200, NITEMTRADE.read_bytes()[:700]), "well-formed XML", ""),
        (short_page, "all rows returned (totalCount)", "2 items for totalCount 4"),
        (lambda params: pages({"pageNo": "1"}), "all rows returned (totalCount)", "repeats an earlier page"),
        (lambda params: (403, NITEMTRADE.read_bytes()), "server answers HTTP 200", "HTTP 403"),
    ],
    ids=["result99", "quota", "key", "html", "json", "malformed", "short", "same-page", "http403"],
)
def test_bad_answers_are_rejected_kept_and_never_landed(tmp_path, key, answer, rule, detail):
    transport, _ = serve(answer)
    config = FetchConfig(operation="nitemtrade", start="202401", end="202403", countries=["US"], hs_codes=["8542"])
    with pytest.raises(ConnectorError) as err:
        fetch(config, client(tmp_path, transport), tmp_path / "landing")
    assert err.value.source == SOURCE and err.value.rule == rule and detail in err.value.detail
    assert err.value.saved.exists() and err.value.saved.parent == tmp_path / "responses" / SOURCE
    assert landed(tmp_path) == []


def test_one_failing_window_lands_nothing_of_the_fetch(tmp_path, key):
    good, quota = (KCS / "nationtrade_2024_12.xml").read_bytes(), (KCS / "gateway_quota_exceeded.xml").read_bytes()
    transport, calls = serve(lambda params: (200, quota if params["strtYymm"] == "202401" else good))
    with pytest.raises(ConnectorError, match="daily request quota"):
        fetch(
            FetchConfig(start="202301", end="202412", countries=["US"]),
            client(tmp_path, transport),
            tmp_path / "landing",
        )
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
    for config in (
        FetchConfig(operation="nitemtrade", start="202401", end="202412"),
        FetchConfig(start="2024-01", end="202412"),
        FetchConfig(start="202412", end="202401"),
    ):
        with pytest.raises(ConnectorError) as err:
            fetch(config, client(tmp_path, transport), tmp_path / "landing")
        assert err.value.rule == "fetch config is valid"
    assert calls == []


@pytest.mark.parametrize("env_key", KEY_FORMS, ids=["decoded", "encoded"])
def test_the_key_is_sent_once_encoded_and_never_stored_or_shown(tmp_path, monkeypatch, env_key):
    monkeypatch.setenv(API_KEY_ENV, env_key)
    answers = iter([(200, NITEMTRADE.read_bytes()), (200, b'{"error": "bad key ' + KEY.encode() + b'"}')])
    transport, calls = serve(lambda params: next(answers))
    config = FetchConfig(
        operation="nitemtrade", start="202411", end="202412", countries=["US", "CN"], hs_codes=["8542"]
    )
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
