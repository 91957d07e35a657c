"""The live UN Comtrade v1 client (fake transport only)."""

import json
import logging
from pathlib import Path

import pytest

from orchestration.connectors import comtrade
from orchestration.connectors.comtrade import API_KEY_ENV, FEED, SOURCE, FetchConfig, fetch
from orchestration.connectors.http import Client, ConnectorError, Response
from tests.helpers import FIXTURES

COMTRADE = FIXTURES / "comtrade"
ANNUAL = COMTRADE / "annual_usa_chn_imports_from_kor_2020_2024.json"
MONTHLY = COMTRADE / "monthly_kor_exports_2023_12.json"
COLUMNS = [
    "reporter_code",
    "reporter_kind",
    "partner_code",
    "partner_kind",
    "flow",
    "frequency",
    "period",
    "value_text",
    "value_usd",
    "valuation",
    "source",
    "source_row",
]
KEY = "test-key-7Qx9c2"
JSON = {"content-type": "application/json; charset=utf-8"}
ANNUAL_CONFIG = FetchConfig(periods=["2020", "2021", "2022", "2023", "2024"])


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
        landed = fetch(
            FetchConfig(frequency="M", reporters=[410], partners=[0], flows=["X"], periods=months),
            client,
            tmp_path / "landing",
        )
    periods = [url.split("period=")[1].split("&")[0] for url, _ in client.transport.calls]
    assert periods == [",".join(months[:12]), "202401"]
    assert [p.name for p in landed] == [f"comtrade_M_410_0_X_{'-'.join(months[:12])}.json"]
    assert "no rows" in caplog.text and len(client.saved) == 2


QUOTA_429 = b'{ "statusCode": 429, "message": "Out of call volume quota. Quota will be replenished in 05:12:47." }'


@pytest.mark.parametrize(
    ("answers", "rule"),
    [
        ([recorded("error_401_invalid_key.json", 401)], "API key accepted"),
        ([recorded("error_403_quota.json", 403)], "API quota not exceeded"),
        ([(429, QUOTA_429, JSON)] * 5, "API quota not exceeded"),
        ([recorded("error_429_rate_limit.json", 429)] * 5, "rate limit (HTTP 429) clears"),
        ([recorded("maintenance.html", headers={"content-type": "text/html; charset=utf-8"})], "response is JSON"),
        ([recorded("malformed.json")], "response is well-formed JSON"),
        ([recorded("error_in_body.json")], "API reports no error"),
    ],
)
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
