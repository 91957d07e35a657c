"""raw/partner_reported_trade: IMF IMTS SDMX-CSV, IMF DOTS workbooks, US Census/FRED and UN Comtrade JSON parse
as the refresh parses them (through `loading.parse_file`), on the shipped samples and tests/fixtures/."""

import json
import shutil
from pathlib import Path

import duckdb
import openpyxl
import pandas as pd
import pytest

from orchestration.feeds.formats import imf
from orchestration.feeds.formats.comtrade import area_code
from orchestration.feeds.partner_reported_trade import PARTNER_REPORTED_TRADE
from orchestration.feeds.spec import FeedError
from orchestration.loading import load_feed, parse_file
from tests.helpers import FIXTURES
from tests.helpers import SAMPLE as SAMPLE_ROOT

SAMPLE = SAMPLE_ROOT / "partner_reported_trade"
IMF_FIXTURES = FIXTURES / "imf"
DOTS = {"KOR": "DOTS_106_korea_rep.xlsx", "USA": "DOTS_208_united_states.xlsx", "CHN": "DOTS_40_china_mainland.xlsx"}
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
    path.write_text(
        "DATAFLOW,COUNTRY,INDICATOR,COUNTERPART_COUNTRY,FREQUENCY,TIME_PERIOD,OBS_VALUE\n"
        "IMF.STA:IMTS(1.0.0),KOR,XG_FOB_USD,USA,M,2024-04,11400587279\n"
        "IMF.STA:IMTS(1.0.0),KOR,XG_FOB_USD,USA,Q,2024-Q1,32000000000\n",
        encoding="utf-8",
    )
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
    path.write_text(
        "DATAFLOW,COUNTRY,INDICATOR,COUNTERPART_COUNTRY,FREQUENCY,TIME_PERIOD,OBS_VALUE\n"
        "IMF.STA:IMTS(1.0.0),USA,MG_FOB_USD,KOR,A,2019,76000000000\n",
        encoding="utf-8",
    )
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
        for cell, value in {
            "B4": "Korea, Rep. of",
            "B5": "US Dollars",
            "C7": "2019",
            "B8": "World",
            "C8": 542602.148,
        }.items():
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
    assert set(
        zip(rows.reporter_code, rows.partner_code, rows.flow, rows.frequency, rows.valuation, rows.source, strict=True)
    ) == {("USA", "KOR", "import", "month", "FOB", "US_CENSUS_FRED")}


def feed_files() -> list[Path]:
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
    assert [f.file_format.name for f in loaded.files] == ["imf_dots_xlsx"] * 3 + [
        "fred_us_imports",
        "imf_imts_sdmx_csv",
    ]
    assert con.execute("""SELECT value_usd FROM raw.partner_reported_trade WHERE source = 'IMF_DOTS'
                          AND reporter_code = 'USA' AND partner_code = 'KOR' AND flow = 'import'
                          AND period = DATE '2019-01-01'""").fetchall() == [(pytest.approx(77_511.132009e6),)]


def parse_comtrade(path: Path) -> pd.DataFrame:
    fmt, frame = parse_file(PARTNER_REPORTED_TRADE, path)
    assert fmt.name == "comtrade_json"
    return frame


def write_body(tmp_path: Path, body: dict) -> Path:
    path = tmp_path / "body.json"
    path.write_text(json.dumps(body), encoding="utf-8")
    return path


# --- UN Comtrade JSON -------------------------------------------------------------------------------------------------


def test_annual_totals_keep_only_clean_rows_and_map_codes():
    rows = parse_comtrade(ANNUAL)
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
    rows = parse_comtrade(MONTHLY).set_index(["partner_code", "flow"])
    assert sorted(rows.index) == [
        ("CHN", "export"),
        ("TWN", "export"),
        ("USA", "export"),
        ("WLD", "export"),
        ("WLD", "import"),
    ]
    assert set(rows["period"]) == {"2023-12"} and set(rows["frequency"]) == {"month"}
    assert rows.loc[("TWN", "export"), "partner_kind"] == "country"  # 490 "Other Asia, nes" is Taiwan
    assert rows.loc[("TWN", "export"), "value_usd"] == 2046718524.0
    assert rows.loc[("WLD", "export"), "partner_kind"] == "world"
    assert rows.loc[("USA", "export"), "value_usd"] == 11280989026.0  # the air-freight split (row 3) is dropped
    assert rows.loc[("USA", "export"), "valuation"] == "FOB" and rows.loc[("WLD", "import"), "valuation"] == "CIF"
    assert set(rows["reporter_code"]) == {"KOR"}


@pytest.mark.parametrize(
    ("code", "iso3"),
    [
        ("842", "USA"),
        ("490", "TWN"),
        ("0", "WLD"),
        ("699", "IND"),
        ("251", "FRA"),
        ("757", "CHE"),
        ("579", "NOR"),
        ("410", "KOR"),
        ("156", "CHN"),
        ("392", "JPN"),
        ("4", "AFG"),
        ("899", "899"),
    ],
)
def test_comtrade_codes_map_to_iso3(code, iso3):
    assert area_code(code) == iso3


def test_unknown_partner_code_is_kept_for_the_gx_rule(tmp_path):
    body = json.loads(MONTHLY.read_text(encoding="utf-8"))
    body["data"][1].update(partnerCode=899, partnerISO="_X", partnerDesc="Areas, nes")
    rows = parse_comtrade(write_body(tmp_path, body))
    unknown = rows[rows.source_row == 2]
    assert unknown["partner_code"].tolist() == ["899"] and unknown["partner_kind"].isna().all()


@pytest.mark.parametrize(
    ("body", "rule"),
    [
        ("error_in_body.json", "Comtrade response is not an error"),
        ("malformed.json", "Comtrade response is well-formed JSON"),
        ({"elapsedTime": "0.01 secs", "count": 0}, "Comtrade response has a data list"),
        ({"elapsedTime": "0.01 secs", "count": 3, "data": [], "error": ""}, "Comtrade count matches the data rows"),
    ],
)
def test_bad_bodies_are_feed_errors(tmp_path, body, rule):
    path = COMTRADE / body if isinstance(body, str) else write_body(tmp_path, body)
    with pytest.raises(FeedError) as failed:
        parse_comtrade(path)
    assert failed.value.rule == rule and failed.value.file.endswith(path.name)


def test_empty_data_is_an_empty_frame():
    rows = parse_comtrade(COMTRADE / "empty_data.json")
    assert rows.empty and rows.columns.tolist() == COLUMNS


def test_fixtures_pass_the_feed_suite_and_unknown_codes_fail_it(tmp_path):
    from orchestration.validation.gx_suites import validate_file

    for path in (ANNUAL, MONTHLY):
        evaluated, failures = validate_file("partner_reported_trade", parse_comtrade(path), "x")
        assert evaluated > 0 and failures == [], path.name
    body = json.loads(MONTHLY.read_text(encoding="utf-8"))
    body["data"][1]["partnerCode"] = 899
    _, failures = validate_file("partner_reported_trade", parse_comtrade(write_body(tmp_path, body)), "x")
    assert [("partner" in f.rule, f.rows) for f in failures] == [(True, [2])]
