"""IMF IMTS / DOTS and US Census (FRED) formats of raw/partner_reported_trade, and the IMF IMTS connector.

Parser tests go through the loader (`parse_file`) on the shipped samples and the hand-made fixtures in
tests/fixtures/imf/ (see its README); connector tests replace the HTTP transport, nothing calls the network.
"""

import shutil
from pathlib import Path

import duckdb
import openpyxl
import pytest

from orchestration.connectors import imf as connector
from orchestration.connectors.http import Client, ConnectorError, Response
from orchestration.feeds.formats import imf
from orchestration.feeds.partner_reported_trade import PARTNER_REPORTED_TRADE
from orchestration.feeds.spec import FeedError
from orchestration.loading import load_feed, parse_file
from orchestration.settings import EXPECTATIONS_DIR
from tests.conftest import FIXTURES

SAMPLE = Path(__file__).parents[1] / "data" / "sample" / "partner_reported_trade"
IMF_FIXTURES = FIXTURES / "imf"
DOTS = {"KOR": "DOTS_106_korea_rep.xlsx", "USA": "DOTS_208_united_states.xlsx", "CHN": "DOTS_40_china_mainland.xlsx"}
CSV_TYPE = "application/vnd.sdmx.data+csv; version=2.0.0; charset=utf-8"


def parse(path: Path):
    return parse_file(PARTNER_REPORTED_TRADE, path)


def one(rows, **where):
    """The single row of `rows` whose columns equal `where`."""
    match = rows
    for column, value in where.items():
        match = match[match[column] == value]
    assert len(match) == 1, where
    return match.iloc[0]


# --- IMF IMTS SDMX-CSV -------------------------------------------------------------------------------------

def test_imts_obs_value_is_full_usd_although_scale_says_6():
    fmt, rows = parse(IMF_FIXTURES / "imts_kor_usa_sdmx_csv1.csv")
    assert fmt.name == "imf_imts_sdmx_csv"
    row = one(rows, reporter_code="USA", partner_code="KOR", period="2019")
    assert row.value_usd == 77_511_132_009.0  # not x 1e6
    assert (row.flow, row.valuation, row.frequency, row.source) == ("import", "CIF", "year", "IMF_IMTS")
    exports = one(rows, reporter_code="KOR", partner_code="USA", period="2019")
    assert (exports.flow, exports.valuation, exports.value_usd) == ("export", "FOB", 73_891_806_000.0)


def test_imts_drops_balance_rows_and_empty_values_and_maps_g001_to_world():
    _, rows = parse(IMF_FIXTURES / "imts_kor_usa_sdmx_csv1.csv")
    assert len(rows) == 8  # 10 data lines - 1 TBG_USD - 1 without OBS_VALUE
    assert 7 not in set(rows["source_row"])  # the TBG_USD line
    world = one(rows, partner_code="WLD", period="2019")
    assert (world.partner_kind, world.source_row, world.value_usd) == ("world", 6, 542_602_148_000.0)
    assert set(rows["partner_kind"]) == {"country", "world"} and set(rows["reporter_kind"]) == {"country"}


def test_imts_monthly_periods(tmp_path):
    _, rows = parse(IMF_FIXTURES / "imts_kor_usa_sdmx_csv1.csv")
    december = one(rows, partner_code="USA", period="2023-12")
    assert (december.frequency, december.value_usd) == ("month", 11_280_989_026.0)
    path = tmp_path / "imts_iso_months.csv"
    path.write_text("DATAFLOW,COUNTRY,INDICATOR,COUNTERPART_COUNTRY,FREQUENCY,TIME_PERIOD,OBS_VALUE\n"
                    "IMF.STA:IMTS(1.0.0),KOR,XG_FOB_USD,USA,M,2024-04,11400587279\n"
                    "IMF.STA:IMTS(1.0.0),KOR,XG_FOB_USD,USA,Q,2024-Q1,32000000000\n", encoding="utf-8")
    _, rows = parse(path)
    assert rows["period"].tolist() == ["2024-04", "2024-Q1"]
    assert rows["frequency"].tolist()[0] == "month" and rows["frequency"].isna().tolist() == [False, True]


def test_imts_sdmx_csv_2_0_layout_is_accepted():
    fmt, rows = parse(IMF_FIXTURES / "imts_usa_mg_cif_kor_sdmx_csv2.csv")
    assert fmt.name == "imf_imts_sdmx_csv"
    assert rows["period"].tolist() == ["2019", "2020"]
    assert rows["value_usd"].tolist() == [77_511_132_009.0, 76_019_829_034.0]


def test_imts_sdmx_ml_saved_as_csv_is_rejected(tmp_path):
    path = tmp_path / "imf_imts_USA_MG_CIF_USD_A_2020_2024.csv"
    shutil.copy(IMF_FIXTURES / "imts_sdmx_ml.xml", path)
    with pytest.raises(FeedError) as loader_error:
        parse(path)
    assert loader_error.value.rule == "header matches a known format"
    with pytest.raises(FeedError) as parser_error:  # the format's own check, should a frame ever reach it
        imf.parse_imts(path, None)
    assert parser_error.value.rule == "IMF response is SDMX-CSV, not SDMX-ML"


def test_imts_unknown_indicator_is_an_error(tmp_path):
    path = tmp_path / "imts_fob_imports.csv"
    path.write_text("DATAFLOW,COUNTRY,INDICATOR,COUNTERPART_COUNTRY,FREQUENCY,TIME_PERIOD,OBS_VALUE\n"
                    "IMF.STA:IMTS(1.0.0),USA,MG_FOB_USD,KOR,A,2019,76000000000\n", encoding="utf-8")
    with pytest.raises(FeedError, match="MG_FOB_USD") as error:
        parse(path)
    assert error.value.rows == [2]


# --- IMF DOTS workbooks ------------------------------------------------------------------------------------

def test_dots_values_match_the_workbooks():
    _, korea = parse(SAMPLE / DOTS["KOR"])
    to_us = one(korea, partner_code="USA", flow="export", period="2019")
    assert to_us.value_usd == pytest.approx(73_891.806e6)  # 'Exports, FOB' C49…: 73891.806 (USD millions)
    assert (to_us.reporter_code, to_us.valuation, to_us.frequency, to_us.source_row) == ("KOR", "FOB", "year", 49)
    assert one(korea, partner_code="WLD", flow="export", period="2019").value_usd == pytest.approx(542_602.148e6)
    _, usa = parse(SAMPLE / DOTS["USA"])
    from_korea = one(usa, partner_code="KOR", flow="import", period="2019")
    assert from_korea.value_usd == pytest.approx(77_511.132009e6)
    assert (from_korea.reporter_code, from_korea.valuation) == ("USA", "CIF")
    _, china = parse(SAMPLE / DOTS["CHN"])
    assert one(china, partner_code="KOR", flow="import", period="2019").value_usd == pytest.approx(173_553.26688e6)


@pytest.mark.parametrize("reporter", DOTS)
def test_dots_every_partner_is_known_and_aggregates_are_out(reporter):
    fmt, rows = parse(SAMPLE / DOTS[reporter])
    assert fmt.name == "imf_dots_xlsx"
    assert set(rows["reporter_code"]) == {reporter}
    assert rows["partner_kind"].notna().all(), sorted(set(rows.loc[rows["partner_kind"].isna(), "partner_code"]))
    assert set(rows["partner_kind"]) == {"country", "world"}  # no region or analytical aggregate
    assert not rows.duplicated(["flow", "partner_code", "period"]).any()
    assert {"WLD", "USA", "CHN", "KOR", "HKG", "JPN"} - {reporter} <= set(rows["partner_code"])
    assert set(rows["flow"]) == {"export", "import"} and rows["value_usd"].notna().all()


def test_dots_repeated_partner_row_counts_once():
    _, rows = parse(SAMPLE / DOTS["KOR"])
    australia = rows[rows["partner_code"] == "AUS"]
    assert set(australia["source_row"]) == {8}  # the identical repeat in row 32 is dropped


def test_dots_workbook_in_another_unit_is_rejected(tmp_path):
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title in imf.DOTS_SHEETS:
        sheet = book.create_sheet(title)
        for cell, value in {"B4": "Korea, Rep. of", "B5": "US Dollars", "C7": "2019", "B8": "World",
                            "C8": 542602.148}.items():
            sheet[cell] = value
    path = tmp_path / "DOTS_thousands.xlsx"
    book.save(path)
    with pytest.raises(FeedError, match="US Dollars, Millions"):
        parse(path)
    (tmp_path / "broken.xlsx").write_bytes(b"not a zip")
    with pytest.raises(FeedError, match="file is an Excel workbook"):
        parse(tmp_path / "broken.xlsx")


# --- US Census via FRED ------------------------------------------------------------------------------------

def test_fred_us_imports_from_korea_match_the_census_pages():
    fmt, rows = parse(SAMPLE / "us_imports_from_korea_monthly_2020_2025.csv")
    assert fmt.name == "fred_us_imports"
    assert len(rows) == 67 and rows["period"].min() == "2020-01" and rows["period"].max() == "2025-07"
    assert one(rows, period="2023-09").value_usd == pytest.approx(10_118.8e6, abs=0.05e6)
    assert one(rows, period="2024-12").value_usd == pytest.approx(11_036.4e6, abs=0.05e6)
    assert set(zip(rows.reporter_code, rows.partner_code, rows.flow, rows.frequency, rows.valuation, rows.source,
                   strict=True)) == {("USA", "KOR", "import", "month", "FOB", "US_CENSUS_FRED")}


def feed_files() -> list[Path]:
    if not (EXPECTATIONS_DIR / "partner_reported_trade.json").exists():
        pytest.skip("expectations/partner_reported_trade.json not written yet")
    return [*sorted(SAMPLE.iterdir()), IMF_FIXTURES / "imts_kor_usa_sdmx_csv1.csv"]


def test_parsed_files_pass_the_feed_suite():
    from orchestration.validation.gx_suites import validate_file

    for path in [*feed_files(), IMF_FIXTURES / "imts_usa_mg_cif_kor_sdmx_csv2.csv"]:
        _, frame = parse(path)
        _, failures = validate_file("partner_reported_trade", frame, "x")
        assert failures == [], (path.name, [str(f) for f in failures])


def test_samples_and_imts_fixture_load_together():
    con = duckdb.connect()
    loaded = load_feed(PARTNER_REPORTED_TRADE, feed_files(), con)  # file rules, typed insert and table rules
    assert [f.file_format.name for f in loaded.files] == ["imf_dots_xlsx"] * 3 + ["fred_us_imports",
                                                                                   "imf_imts_sdmx_csv"]
    assert con.execute("""SELECT value_usd FROM raw.partner_reported_trade WHERE source = 'IMF_DOTS'
                          AND reporter_code = 'USA' AND partner_code = 'KOR' AND flow = 'import'
                          AND period = DATE '2019-01-01'""").fetchall() == [(pytest.approx(77_511.132009e6),)]


# --- the IMF IMTS connector --------------------------------------------------------------------------------

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
    paths = connector.fetch(connector.FetchConfig(reporters=["USA"]), client(tmp_path, {"USA": (200, CSV_TYPE, body)},
                                                                             calls), tmp_path / "landing")
    assert paths == landed_files(tmp_path) == [tmp_path / "landing" / connector.FEED /
                                               "imf_imts_USA_MG_CIF_USD_A_2020_2024.csv"]
    assert paths[0].read_bytes() == body
    url, headers = calls[0]
    assert url == ("https://api.imf.org/external/sdmx/3.0/data/dataflow/IMF.STA/IMTS/+/USA.MG_CIF_USD.KOR.A"
                   "?c%5BTIME_PERIOD%5D=ge:2020+le:2024")
    assert headers == {"Accept": connector.ACCEPT}  # no key header when IMF_API_KEY is unset
    assert parse(paths[0])[0].name == "imf_imts_sdmx_csv"


def test_default_config_asks_for_each_reporter(tmp_path):
    answers = {reporter: (200, CSV_TYPE, (IMF_FIXTURES / f"imts_{reporter.lower()}_mg_cif_kor_sdmx_csv2.csv")
                          .read_bytes()) for reporter in ("USA", "CHN")}
    calls = []
    paths = connector.fetch(connector.FetchConfig(), client(tmp_path, answers, calls), tmp_path / "landing")
    assert [p.name for p in paths] == ["imf_imts_USA_MG_CIF_USD_A_2020_2024.csv",
                                       "imf_imts_CHN_MG_CIF_USD_A_2020_2024.csv"]
    assert [url.split("/")[-1].split("?")[0] for url, _ in calls] == ["USA.MG_CIF_USD.KOR.A", "CHN.MG_CIF_USD.KOR.A"]


SDMX_ML = (IMF_FIXTURES / "imts_sdmx_ml.xml").read_bytes()
BAD_ANSWERS = {
    "sdmx-ml": ((200, "application/vnd.sdmx.structurespecificdata+xml;version=3.0.0", SDMX_ML),
                "IMF response is SDMX-CSV, not SDMX-ML"),
    "sdmx-ml labelled csv": ((200, CSV_TYPE, SDMX_ML), "IMF response is SDMX-CSV, not SDMX-ML"),
    "html": ((200, "text/html; charset=utf-8", (IMF_FIXTURES / "imts_maintenance.html").read_bytes()),
             "IMF response is SDMX-CSV, not an HTML page"),
    "404": ((404, "application/xml", (IMF_FIXTURES / "imts_error_404.xml").read_bytes()),
            "IMF answers the query (no HTTP 4xx)"),
    "csv without OBS_VALUE": ((200, CSV_TYPE, b"COUNTRY,INDICATOR,COUNTERPART_COUNTRY,TIME_PERIOD\n"
                                               b"USA,MG_CIF_USD,KOR,2019\n"), "SDMX-CSV has the IMTS columns"),
}


@pytest.mark.parametrize("case", BAD_ANSWERS)
def test_unusable_response_is_kept_and_nothing_lands(tmp_path, case):
    answer, rule = BAD_ANSWERS[case]
    good = (200, CSV_TYPE, (IMF_FIXTURES / "imts_usa_mg_cif_kor_sdmx_csv2.csv").read_bytes())
    with pytest.raises(ConnectorError) as error:  # USA is fine, CHN is not: neither lands
        connector.fetch(connector.FetchConfig(), client(tmp_path, {"USA": good, "CHN": answer}, []),
                        tmp_path / "landing")
    assert error.value.rule == rule
    assert error.value.saved.exists() and error.value.saved.read_bytes() == answer[2]
    assert landed_files(tmp_path) == []


@pytest.mark.parametrize("body", [b"", b"STRUCTURE,STRUCTURE_ID,ACTION,COUNTRY,INDICATOR,COUNTERPART_COUNTRY,"
                                       b"FREQUENCY,TIME_PERIOD,OBS_VALUE,SCALE\n"])
def test_response_without_observations_lands_nothing(tmp_path, body):
    paths = connector.fetch(connector.FetchConfig(reporters=["USA"]),
                            client(tmp_path, {"USA": (200, CSV_TYPE, body)}, []), tmp_path / "landing")
    assert paths == [] and landed_files(tmp_path) == []


def test_api_key_is_sent_as_header_and_never_saved(tmp_path, monkeypatch):
    monkeypatch.setenv(connector.API_KEY_ENV, "secret-key-123")
    body = (IMF_FIXTURES / "imts_usa_mg_cif_kor_sdmx_csv2.csv").read_bytes()
    calls = []
    connector.fetch(connector.FetchConfig(reporters=["USA"]), client(tmp_path, {"USA": (200, CSV_TYPE, body)}, calls),
                    tmp_path / "landing")
    url, headers = calls[0]
    assert headers["Ocp-Apim-Subscription-Key"] == "secret-key-123" and "secret" not in url
    saved = list((tmp_path / "responses").iterdir())
    assert any(p.name.endswith(".meta.json") for p in saved)
    assert all(b"secret-key-123" not in p.read_bytes() for p in saved + landed_files(tmp_path))
