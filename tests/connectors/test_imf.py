"""The live IMF IMTS client: the HTTP transport is replaced, nothing calls the network."""

from pathlib import Path

import pytest

from orchestration.connectors import imf as connector
from orchestration.connectors.http import Client, ConnectorError, Response
from orchestration.feeds.partner_reported_trade import PARTNER_REPORTED_TRADE
from orchestration.loading import parse_file
from tests.helpers import FIXTURES

IMF_FIXTURES = FIXTURES / "imf"
CSV_TYPE = "application/vnd.sdmx.data+csv; version=2.0.0; charset=utf-8"


def parse(path: Path):
    return parse_file(PARTNER_REPORTED_TRADE, path)


def transport_from(answers: dict[str, tuple[int, str, bytes]], calls: list):
    """A transport answering by reporter (the first key component) with (status, content type, body)."""

    def transport(url: str, headers: dict[str, str]) -> Response:
        calls.append((url, headers))
        status, content_type, body = answers[url.split("/")[-1].split(".")[0]]
        return Response(status, {"content-type": content_type}, body, url)

    return transport


def client(tmp_path: Path, answers: dict, calls: list) -> Client:
    return Client(connector.SOURCE, tmp_path / "responses", transport_from(answers, calls), sleep=lambda _: None)


def landed_files(tmp_path: Path) -> list[Path]:
    directory = tmp_path / "landing" / connector.FEED
    return sorted(directory.iterdir()) if directory.exists() else []


def test_good_csv_is_landed_byte_for_byte(tmp_path, monkeypatch):
    monkeypatch.delenv(connector.API_KEY_ENV, raising=False)
    body = (IMF_FIXTURES / "imts_usa_mg_cif_kor_sdmx_csv2.csv").read_bytes()
    calls = []
    paths = connector.fetch(
        connector.FetchConfig(reporters=["USA"]),
        client(tmp_path, {"USA": (200, CSV_TYPE, body)}, calls),
        tmp_path / "landing",
    )
    assert (
        paths
        == landed_files(tmp_path)
        == [tmp_path / "landing" / connector.FEED / "imf_imts_USA_MG_CIF_USD_A_2020_2024.csv"]
    )
    assert paths[0].read_bytes() == body
    url, headers = calls[0]
    assert url == (
        "https://api.imf.org/external/sdmx/3.0/data/dataflow/IMF.STA/IMTS/+/USA.MG_CIF_USD.KOR.A"
        "?c%5BTIME_PERIOD%5D=ge:2020+le:2024"
    )
    assert headers == {"Accept": connector.ACCEPT}  # no key header when IMF_API_KEY is unset
    assert parse(paths[0])[0].name == "imf_imts_sdmx_csv"


def test_default_config_asks_for_each_reporter(tmp_path):
    answers = {
        reporter: (200, CSV_TYPE, (IMF_FIXTURES / f"imts_{reporter.lower()}_mg_cif_kor_sdmx_csv2.csv").read_bytes())
        for reporter in ("USA", "CHN")
    }
    calls = []
    paths = connector.fetch(connector.FetchConfig(), client(tmp_path, answers, calls), tmp_path / "landing")
    assert [p.name for p in paths] == [
        "imf_imts_USA_MG_CIF_USD_A_2020_2024.csv",
        "imf_imts_CHN_MG_CIF_USD_A_2020_2024.csv",
    ]
    assert [url.split("/")[-1].split("?")[0] for url, _ in calls] == ["USA.MG_CIF_USD.KOR.A", "CHN.MG_CIF_USD.KOR.A"]


SDMX_ML = (IMF_FIXTURES / "imts_sdmx_ml.xml").read_bytes()
BAD_ANSWERS = {
    "sdmx-ml": (
        (200, "application/vnd.sdmx.structurespecificdata+xml;version=3.0.0", SDMX_ML),
        "IMF response is SDMX-CSV, not SDMX-ML",
    ),
    "sdmx-ml labelled csv": ((200, CSV_TYPE, SDMX_ML), "IMF response is SDMX-CSV, not SDMX-ML"),
    "html": (
        (200, "text/html; charset=utf-8", (IMF_FIXTURES / "imts_maintenance.html").read_bytes()),
        "IMF response is SDMX-CSV, not an HTML page",
    ),
    "404": (
        (404, "application/xml", (IMF_FIXTURES / "imts_error_404.xml").read_bytes()),
        "IMF answers the query (no HTTP 4xx)",
    ),
    "csv without OBS_VALUE": (
        (200, CSV_TYPE, b"COUNTRY,INDICATOR,COUNTERPART_COUNTRY,TIME_PERIOD\nUSA,MG_CIF_USD,KOR,2019\n"),
        "SDMX-CSV has the IMTS columns",
    ),
}


@pytest.mark.parametrize("case", BAD_ANSWERS)
def test_unusable_response_is_kept_and_nothing_lands(tmp_path, case):
    answer, rule = BAD_ANSWERS[case]
    good = (200, CSV_TYPE, (IMF_FIXTURES / "imts_usa_mg_cif_kor_sdmx_csv2.csv").read_bytes())
    with pytest.raises(ConnectorError) as error:  # USA is fine, CHN is not: neither lands
        connector.fetch(
            connector.FetchConfig(), client(tmp_path, {"USA": good, "CHN": answer}, []), tmp_path / "landing"
        )
    assert error.value.rule == rule
    assert error.value.saved.exists() and error.value.saved.read_bytes() == answer[2]
    assert landed_files(tmp_path) == []


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"STRUCTURE,STRUCTURE_ID,ACTION,COUNTRY,INDICATOR,COUNTERPART_COUNTRY,FREQUENCY,TIME_PERIOD,OBS_VALUE,SCALE\n",
    ],
)
def test_response_without_observations_lands_nothing(tmp_path, body):
    paths = connector.fetch(
        connector.FetchConfig(reporters=["USA"]),
        client(tmp_path, {"USA": (200, CSV_TYPE, body)}, []),
        tmp_path / "landing",
    )
    assert paths == [] and landed_files(tmp_path) == []


def test_api_key_is_sent_as_header_and_never_saved(tmp_path, monkeypatch):
    monkeypatch.setenv(connector.API_KEY_ENV, "secret-key-123")
    body = (IMF_FIXTURES / "imts_usa_mg_cif_kor_sdmx_csv2.csv").read_bytes()
    calls = []
    connector.fetch(
        connector.FetchConfig(reporters=["USA"]),
        client(tmp_path, {"USA": (200, CSV_TYPE, body)}, calls),
        tmp_path / "landing",
    )
    url, headers = calls[0]
    assert headers["Ocp-Apim-Subscription-Key"] == "secret-key-123" and "secret" not in url
    saved = list((tmp_path / "responses").iterdir())
    assert any(p.name.endswith(".meta.json") for p in saved)
    assert all(b"secret-key-123" not in p.read_bytes() for p in saved + landed_files(tmp_path))
