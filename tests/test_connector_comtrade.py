"""UN Comtrade v1: the JSON parser of raw/partner_reported_trade and the live client (fake transport only)."""

import json
import logging
from pathlib import Path

import pandas as pd
import pytest

from orchestration.connectors import comtrade
from orchestration.connectors.comtrade import API_KEY_ENV, FEED, SOURCE, FetchConfig, fetch
from orchestration.connectors.http import Client, ConnectorError, Response
from orchestration.feeds.formats.comtrade import area_code
from orchestration.feeds.partner_reported_trade import PARTNER_REPORTED_TRADE
from orchestration.feeds.spec import FeedError
from orchestration.loading import parse_file
from orchestration.settings import EXPECTATIONS_DIR
from tests.conftest import FIXTURES

COMTRADE = FIXTURES / "comtrade"
ANNUAL = COMTRADE / "annual_usa_chn_imports_from_kor_2020_2024.json"
MONTHLY = COMTRADE / "monthly_kor_exports_2023_12.json"
COLUMNS = ["reporter_code", "reporter_kind", "partner_code", "partner_kind", "flow", "frequency", "period",
           "value_text", "value_usd", "valuation", "source", "source_row"]
KEY = "test-key-7Qx9c2"
JSON = {"content-type": "application/json; charset=utf-8"}
ANNUAL_CONFIG = FetchConfig(periods=["2020", "2021", "2022", "2023", "2024"])


def parse(path: Path) -> pd.DataFrame:
    fmt, frame = parse_file(PARTNER_REPORTED_TRADE, path)
    assert fmt.name == "comtrade_json"
    return frame


def write_body(tmp_path: Path, body: dict) -> Path:
    path = tmp_path / "body.json"
    path.write_text(json.dumps(body), encoding="utf-8")
    return path


# --- parser -------------------------------------------------------------------------------------------------

def test_annual_totals_keep_only_clean_rows_and_map_codes():
    rows = parse(ANNUAL)
    assert rows.columns.tolist() == COLUMNS
    # rows 4 (partner2 156), 5 (re-imports RM), 8 (motCode 2100), 9 (customsCode C01) are not clean totals
    assert rows["source_row"].tolist() == [1, 2, 3, 6, 7, 10, 11, 12, 13, 14]
    assert set(rows["reporter_code"]) == {"USA", "CHN"} and set(rows["partner_code"]) == {"KOR"}
    assert set(rows["reporter_kind"]) == set(rows["partner_kind"]) == {"country"}
    assert set(rows["frequency"]) == {"year"} and set(rows["flow"]) == {"import"}
    assert set(rows["valuation"]) == {"CIF"} and set(rows["source"]) == {"UN_COMTRADE"}
    us = rows[rows.reporter_code == "USA"].set_index("period")
    assert us.index.tolist() == ["2020", "2021", "2022", "2023", "2024"]
    assert us.loc["2023", "value_text"] == "116302478326"
    assert us.loc["2023", "value_usd"] == 116302478326.0
    assert round(us.loc["2024", "value_usd"] / 1e9, 1) == 131.6


def test_monthly_rows_keep_taiwan_and_world():
    rows = parse(MONTHLY).set_index(["partner_code", "flow"])
    assert sorted(rows.index) == [("CHN", "export"), ("TWN", "export"), ("USA", "export"), ("WLD", "export"),
                                  ("WLD", "import")]
    assert set(rows["period"]) == {"2023-12"} and set(rows["frequency"]) == {"month"}
    assert rows.loc[("TWN", "export"), "partner_kind"] == "country"  # 490 "Other Asia, nes" is Taiwan
    assert rows.loc[("TWN", "export"), "value_usd"] == 2046718524.0
    assert rows.loc[("WLD", "export"), "partner_kind"] == "world"
    assert rows.loc[("USA", "export"), "value_usd"] == 11280989026.0  # the air-freight split (row 3) is dropped
    assert rows.loc[("USA", "export"), "valuation"] == "FOB" and rows.loc[("WLD", "import"), "valuation"] == "CIF"
    assert set(rows["reporter_code"]) == {"KOR"}


@pytest.mark.parametrize(("code", "iso3"), [("842", "USA"), ("490", "TWN"), ("0", "WLD"), ("699", "IND"),
                                            ("251", "FRA"), ("757", "CHE"), ("579", "NOR"), ("410", "KOR"),
                                            ("156", "CHN"), ("392", "JPN"), ("4", "AFG"), ("899", "899")])
def test_comtrade_codes_map_to_iso3(code, iso3):
    assert area_code(code) == iso3


def test_unknown_partner_code_is_kept_for_the_gx_rule(tmp_path):
    body = json.loads(MONTHLY.read_text(encoding="utf-8"))
    body["data"][1].update(partnerCode=899, partnerISO="_X", partnerDesc="Areas, nes")
    rows = parse(write_body(tmp_path, body))
    unknown = rows[rows.source_row == 2]
    assert unknown["partner_code"].tolist() == ["899"] and unknown["partner_kind"].isna().all()


@pytest.mark.parametrize(("body", "rule"), [
    ("error_in_body.json", "Comtrade response is not an error"),
    ("malformed.json", "Comtrade response is well-formed JSON"),
    ({"elapsedTime": "0.01 secs", "count": 0}, "Comtrade response has a data list"),
    ({"elapsedTime": "0.01 secs", "count": 3, "data": [], "error": ""}, "Comtrade count matches the data rows"),
])
def test_bad_bodies_are_feed_errors(tmp_path, body, rule):
    path = COMTRADE / body if isinstance(body, str) else write_body(tmp_path, body)
    with pytest.raises(FeedError) as failed:
        parse(path)
    assert failed.value.rule == rule and failed.value.file.endswith(path.name)


def test_empty_data_is_an_empty_frame():
    rows = parse(COMTRADE / "empty_data.json")
    assert rows.empty and rows.columns.tolist() == COLUMNS


def test_fixtures_pass_the_feed_suite_and_unknown_codes_fail_it(tmp_path):
    if not (EXPECTATIONS_DIR / "partner_reported_trade.json").exists():
        pytest.skip("expectations/partner_reported_trade.json not written yet")
    from orchestration.validation.gx_suites import validate_file

    for path in (ANNUAL, MONTHLY):
        evaluated, failures = validate_file("partner_reported_trade", parse(path), "x")
        assert evaluated > 0 and failures == [], path.name
    body = json.loads(MONTHLY.read_text(encoding="utf-8"))
    body["data"][1]["partnerCode"] = 899
    _, failures = validate_file("partner_reported_trade", parse(write_body(tmp_path, body)), "x")
    assert [("partner" in f.rule, f.rows) for f in failures] == [(True, [2])]


# --- client -------------------------------------------------------------------------------------------------

class FakeApi:
    """A transport answering recorded (status, body, headers) in sequence and recording each request."""

    def __init__(self, *answers: tuple[int, bytes, dict]):
        self.answers, self.calls = list(answers), []

    def __call__(self, url: str, headers: dict[str, str]) -> Response:
        self.calls.append((url, headers))
        status, body, response_headers = self.answers.pop(0)
        return Response(status, response_headers, body, url)


def recorded(name: str, status: int = 200, headers: dict | None = None) -> tuple[int, bytes, dict]:
    return status, (COMTRADE / name).read_bytes(), JSON if headers is None else headers


@pytest.fixture
def client(tmp_path, monkeypatch):
    """A Client on a FakeApi (set `client.transport.answers`), recording waits instead of sleeping."""
    monkeypatch.setenv(API_KEY_ENV, KEY)
    waits = []
    return Client(SOURCE, tmp_path / "responses", transport=FakeApi(), sleep=waits.append), waits


def landed_files(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / "landing").rglob("*"))


def test_rate_limit_is_retried_and_the_body_landed_unchanged(client, tmp_path):
    client, waits = client
    client.transport.answers = [recorded("error_429_rate_limit.json", 429), recorded(ANNUAL.name)]
    landed = fetch(ANNUAL_CONFIG, client, tmp_path / "landing")
    assert waits == [1.0]  # "Try again in 1 seconds."
    assert landed == [tmp_path / "landing" / FEED / "comtrade_A_842-156_410_M_2020-2021-2022-2023-2024.json"]
    assert landed[0].read_bytes() == ANNUAL.read_bytes()
    assert landed_files(tmp_path) == [landed[0].parent, landed[0]]  # no .part left behind
    url, headers = client.transport.calls[-1]
    assert headers == {"Ocp-Apim-Subscription-Key": KEY} and KEY not in url
    assert url.startswith("https://comtradeapi.un.org/data/v1/get/C/A/HS?reporterCode=842,156&partnerCode=410&")
    assert "period=2020,2021,2022,2023,2024" in url and "partner2Code=0&customsCode=C00&motCode=0" in url
    kept = sorted((tmp_path / "responses").iterdir())
    assert len(kept) == 4 and len(client.saved) == 2  # two bodies, each with its .meta.json
    assert all(KEY not in p.name and KEY not in p.read_text(encoding="utf-8") for p in kept)


def test_periods_are_split_and_empty_results_are_not_landed(client, tmp_path, caplog):
    client, _ = client
    client.transport.answers = [recorded(MONTHLY.name), recorded("empty_data.json")]
    months = [f"2023{m:02d}" for m in range(1, 13)] + ["202401"]
    with caplog.at_level(logging.WARNING):
        landed = fetch(FetchConfig(frequency="M", reporters=[410], partners=[0], flows=["X"], periods=months),
                       client, tmp_path / "landing")
    periods = [url.split("period=")[1].split("&")[0] for url, _ in client.transport.calls]
    assert periods == [",".join(months[:12]), "202401"]
    assert [p.name for p in landed] == [f"comtrade_M_410_0_X_{'-'.join(months[:12])}.json"]
    assert "no rows" in caplog.text and len(client.saved) == 2


QUOTA_429 = b'{ "statusCode": 429, "message": "Out of call volume quota. Quota will be replenished in 05:12:47." }'


@pytest.mark.parametrize(("answers", "rule"), [
    ([recorded("error_401_invalid_key.json", 401)], "API key accepted"),
    ([recorded("error_403_quota.json", 403)], "API quota not exceeded"),
    ([(429, QUOTA_429, JSON)] * 5, "API quota not exceeded"),
    ([recorded("error_429_rate_limit.json", 429)] * 5, "rate limit (HTTP 429) clears"),
    ([recorded("maintenance.html", headers={"content-type": "text/html; charset=utf-8"})], "response is JSON"),
    ([recorded("malformed.json")], "response is well-formed JSON"),
    ([recorded("error_in_body.json")], "API reports no error"),
])
def test_bad_responses_are_kept_and_never_landed(client, tmp_path, answers, rule):
    client, _ = client
    client.transport.answers = list(answers)
    with pytest.raises(ConnectorError) as failed:
        fetch(ANNUAL_CONFIG, client, tmp_path / "landing")
    assert failed.value.rule == rule and failed.value.source == SOURCE
    assert failed.value.saved.read_bytes() == answers[-1][1]
    assert landed_files(tmp_path) == []


def test_a_result_at_the_row_cap_is_truncated(client, tmp_path, monkeypatch):
    client, _ = client
    monkeypatch.setattr(comtrade, "ROW_CAP", json.loads(ANNUAL.read_bytes())["count"])
    client.transport.answers = [recorded(ANNUAL.name)]
    with pytest.raises(ConnectorError, match="split the query") as failed:
        fetch(ANNUAL_CONFIG, client, tmp_path / "landing")
    assert failed.value.rule == "result not truncated at the API row cap"
    assert failed.value.saved.exists() and landed_files(tmp_path) == []


def test_a_count_that_disagrees_with_the_rows_is_rejected(client, tmp_path):
    client, _ = client
    body = json.loads(ANNUAL.read_bytes()) | {"count": 15}
    client.transport.answers = [(200, json.dumps(body).encode(), JSON)]
    with pytest.raises(ConnectorError) as failed:
        fetch(ANNUAL_CONFIG, client, tmp_path / "landing")
    assert failed.value.rule == "count matches the data rows" and landed_files(tmp_path) == []


def test_no_call_without_a_key_or_with_bad_periods(client, tmp_path, monkeypatch):
    client, _ = client
    with pytest.raises(ConnectorError) as failed:
        fetch(FetchConfig(frequency="M", periods=["2023"]), client, tmp_path / "landing")
    assert failed.value.rule.startswith("periods match the frequency")
    monkeypatch.delenv(API_KEY_ENV)
    with pytest.raises(ConnectorError) as failed:
        fetch(ANNUAL_CONFIG, client, tmp_path / "landing")
    assert failed.value.rule == "API key set in COMTRADE_API_KEY"
    assert client.transport.calls == [] and client.saved == []
