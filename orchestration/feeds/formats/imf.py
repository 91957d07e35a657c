"""IMF trade by partner for raw/partner_reported_trade: the IMTS API's SDMX-CSV and the DOTS annual workbooks.

imf_imts_sdmx_csv  SDMX-CSV of dataflow IMF.STA:IMTS (International Trade in Goods by partner country), as the
                   IMF SDMX API returns it: SDMX-CSV 1.0 (`DATAFLOW, COUNTRY, INDICATOR, COUNTERPART_COUNTRY,
                   FREQUENCY, TIME_PERIOD, OBS_VALUE, SCALE, …`) or 2.0 (`STRUCTURE, STRUCTURE_ID, ACTION, …`);
                   attribute columns (PRECISION, TRADE_FLOW, VALUATION, UNIT, STATUS, …) are ignored.
                   * INDICATOR `XG_FOB_USD` = exports FOB, `MG_CIF_USD` = imports CIF; `TBG_USD` (balance =
                     exports - imports, derivable) rows are dropped; any other indicator is an error.
                   * OBS_VALUE is in FULL US dollars even though every row says SCALE=6: SCALE is a display hint
                     and is never applied (multiplying would inflate values a millionfold).
                   * COUNTRY / COUNTERPART_COUNTRY are ISO-3 except IMF codes: G001 = World (-> WLD), KOS = Kosovo,
                     WBG = West Bank and Gaza; other group codes (G…) are kept as is, so the known-partner rule
                     reports them. TIME_PERIOD `2024` -> year, `2024-M04` or `2024-04` -> month '2024-04'.
                   * Rows without a value (empty OBS_VALUE or `NaN`) are not observations and are skipped.
imf_dots_xlsx      Direction of Trade Statistics annual workbook (IMF data portal Excel export), one per reporter:
                   sheets `Exports, FOB` and `Imports, CIF`; rows 1-6 a title block (row 4 the reporter's name,
                   row 5 `US Dollars, Millions`), row 7 the years from column C, rows 8+ the partner name in
                   column B then values. Names map to ISO-3 via countries.csv `name_en` plus DOTS_NAMES; regional
                   and analytical aggregates, 'not specified' residual areas and former economies without a code
                   in countries.csv are dropped (World is kept as WLD). Values x 1e6; empty cells are skipped; a
                   repeated row (the export lists Australia twice) counts once.
"""

import re
import zipfile
from functools import cache
from pathlib import Path

import openpyxl
import pandas as pd
from openpyxl.utils.exceptions import InvalidFileException

from orchestration.feeds.formats.partner_reported import PARSED_COLUMNS, normalized
from orchestration.feeds.readers import markup, source_file, source_rows
from orchestration.feeds.reference import WORLD, iso3_by_english_name
from orchestration.feeds.spec import FeedError, FileFormat

IMTS_REQUIRED = ("COUNTRY", "INDICATOR", "COUNTERPART_COUNTRY", "TIME_PERIOD", "OBS_VALUE")
IMTS_INDICATORS = {"XG_FOB_USD": ("export", "FOB"), "MG_CIF_USD": ("import", "CIF")}
IMTS_DROPPED = {"TBG_USD"}
IMTS_CODES = {"G001": WORLD, "KOS": "XKX", "WBG": "PSE"}
SDMX_ML_RULE = "IMF response is SDMX-CSV, not SDMX-ML"
HTML_RULE = "IMF response is SDMX-CSV, not an HTML page"

DOTS_SHEETS = {"Exports, FOB": ("export", "FOB"), "Imports, CIF": ("import", "CIF")}
DOTS_UNIT = "US Dollars, Millions"
DOTS_REPORTER_ROW, DOTS_UNIT_ROW, DOTS_YEAR_ROW = 4, 5, 7
# IMF names that differ from countries.csv `name_en`.
DOTS_NAMES = {
    "World": WORLD,
    "Korea, Rep. of": "KOR",
    "United States": "USA",
    "China, P.R.: Mainland": "CHN",
    "China, P.R.: Hong Kong": "HKG",
    "China, P.R.: Macao": "MAC",
    "Taiwan Province of China": "TWN",
    "Korea, Dem. People's Rep. of": "PRK",
    "United Kingdom": "GBR",
    "Netherlands, The": "NLD",
    "Turkey": "TUR",
    "Russian Federation": "RUS",
    "Afghanistan, Islamic Rep. of": "AFG",
    "Antigua and Barbuda": "ATG",
    "Armenia, Rep. of": "ARM",
    "Aruba, Kingdom of the Netherlands": "ABW",
    "Azerbaijan, Rep. of": "AZE",
    "Bahamas, The": "BHS",
    "Bahrain, Kingdom of": "BHR",
    "Belarus, Rep. of": "BLR",
    "Bosnia and Herzegovina": "BIH",
    "Brunei Darussalam": "BRN",
    "Cabo Verde": "CPV",
    "Central African Rep.": "CAF",
    "Comoros, Union of the": "COM",
    "Congo, Dem. Rep. of the": "COD",
    "Congo, Rep. of": "COG",
    "Croatia, Rep. of": "HRV",
    "Curaçao, Kingdom of the Netherlands": "CUW",
    "Czech Rep.": "CZE",
    "Côte d'Ivoire": "CIV",
    "Dominican Rep.": "DOM",
    "Egypt, Arab Rep. of": "EGY",
    "Equatorial Guinea, Rep. of": "GNQ",
    "Eritrea, The State of": "ERI",
    "Estonia, Rep. of": "EST",
    "Eswatini, Kingdom of": "SWZ",
    "Ethiopia, The Federal Dem. Rep. of": "ETH",
    "Falkland Islands (Malvinas)": "FLK",
    "Fiji, Rep. of": "FJI",
    "Gambia, The": "GMB",
    "Holy See": "VAT",
    "Iran, Islamic Rep. of": "IRN",
    "Kazakhstan, Rep. of": "KAZ",
    "Kosovo, Rep. of": "XKX",
    "Kyrgyz Rep.": "KGZ",
    "Lao People's Dem. Rep.": "LAO",
    "Lesotho, Kingdom of": "LSO",
    "Madagascar, Rep. of": "MDG",
    "Marshall Islands, Rep. of the": "MHL",
    "Mauritania, Islamic Rep. of": "MRT",
    "Micronesia, Federated States of": "FSM",
    "Moldova, Rep. of": "MDA",
    "Mozambique, Rep. of": "MOZ",
    "Nauru, Rep. of": "NRU",
    "North Macedonia, Republic of": "MKD",
    "Palau, Rep. of": "PLW",
    "Poland, Rep. of": "POL",
    "San Marino, Rep. of": "SMR",
    "Serbia, Rep. of": "SRB",
    "Sint Maarten, Kingdom of the Netherlands": "SXM",
    "Slovak Rep.": "SVK",
    "Slovenia, Rep. of": "SVN",
    "South Sudan, Rep. of": "SSD",
    "St. Kitts and Nevis": "KNA",
    "St. Vincent and the Grenadines": "VCT",
    "Syrian Arab Rep.": "SYR",
    "São Tomé and Príncipe, Dem. Rep. of": "STP",
    "Tajikistan, Rep. of": "TJK",
    "Tanzania, United Rep. of": "TZA",
    "Timor-Leste, Dem. Rep. of": "TLS",
    "Trinidad and Tobago": "TTO",
    "Uzbekistan, Rep. of": "UZB",
    "Venezuela, Rep. Bolivariana de": "VEN",
    "West Bank and Gaza": "PSE",
    "Yemen Arab Rep.": "YEM",
    "Yemen, Rep. of": "YEM",
    "Yemen, People's Dem. Rep. of": "YMD",
}
# Sums of partners (never add them to partner sums) and the 'Memorandum Items' section heading.
DOTS_AGGREGATES = frozenset(
    {
        "Advanced Economies",
        "Emerging and Developing Economies",
        "Emerging and Developing Asia",
        "Emerging and Developing Europe",
        "Euro Area",
        "European Union",
        "Africa",
        "Sub-Saharan Africa",
        "Middle East",
        "Middle East and Central Asia",
        "Western Hemisphere",
        "Memorandum Items",
        "Emerging Market and Developing Economies by Source of Export Earnings: Fuel",
        "Emerging Market and Developing Economies by Source of Export Earnings: Nonfuel",
    }
)
# Residual areas: trade the reporter could not allocate to a partner (part of World, not a partner).
DOTS_RESIDUALS = frozenset(
    {
        "Africa not specified",
        "Asia not specified",
        "Europe not specified",
        "Middle East and Central Asia not specified",
        "Western Hemisphere not specified",
        "Countries & Areas not specified",
        "Other Countries not included elsewhere",
        "Special Categories",
    }
)
# Economies dissolved by 2006 whose codes (SUN, YUG, CSK, DDR, SCG, BLX) countries.csv does not list: dropped
# (World still includes them). Keep them by adding the codes to scripts/build_seeds.py HISTORICAL and DOTS_NAMES.
DOTS_FORMER = frozenset(
    {
        "USSR",
        "Yugoslavia",
        "Czechoslovakia",
        "Eastern Germany",
        "Serbia and Montenegro",
        "Belgium-Luxembourg",
    }
)
DOTS_DROPPED = DOTS_AGGREGATES | DOTS_RESIDUALS | DOTS_FORMER


def markup_rule(head: bytes) -> str | None:
    """The rule a body that starts like markup breaks (an HTML page or SDMX-ML), or None for text such as CSV."""
    return {"html": HTML_RULE, "xml": SDMX_ML_RULE}.get(markup(head))


def _imts_period(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """TIME_PERIOD -> (period, frequency): '2024' -> year, '2024-M04' / '2024-04' -> month '2024-04'; anything
    else is kept with frequency NA (the period rule reports it)."""
    text = text.str.strip()
    parts = text.str.extract(r"^(\d{4})(?:-M?(0[1-9]|1[0-2]))?$")
    monthly, yearly = parts[1].notna(), parts[0].notna() & parts[1].isna()
    period = text.mask(monthly, parts[0] + "-" + parts[1])
    frequency = pd.Series(pd.NA, index=text.index, dtype="string").mask(yearly, "year").mask(monthly, "month")
    return period, frequency


def parse_imts(path: Path, frame: pd.DataFrame) -> pd.DataFrame:
    with path.open("rb") as f:
        rule = markup_rule(f.read(512))
    if rule:
        raise FeedError(source_file(path), rule, "ask the IMF API for SDMX-CSV (Accept header)")
    frame = frame.assign(source_row=source_rows(frame))
    unknown = ~frame["INDICATOR"].isin(IMTS_INDICATORS.keys() | IMTS_DROPPED)
    if unknown.any():
        raise FeedError(
            source_file(path),
            "INDICATOR is XG_FOB_USD, MG_CIF_USD or TBG_USD",
            f"got {sorted(set(frame.loc[unknown, 'INDICATOR']))}",
            frame.loc[unknown, "source_row"].tolist(),
        )
    rows = frame[frame["INDICATOR"].isin(IMTS_INDICATORS) & ~frame["OBS_VALUE"].str.strip().isin(["", "NaN"])]
    period, frequency = _imts_period(rows["TIME_PERIOD"])
    return normalized(
        pd.DataFrame(
            {
                "reporter_code": rows["COUNTRY"].str.strip().replace(IMTS_CODES),
                "partner_code": rows["COUNTERPART_COUNTRY"].str.strip().replace(IMTS_CODES),
                "flow": rows["INDICATOR"].map(lambda i: IMTS_INDICATORS[i][0]),
                "frequency": frequency,
                "period": period,
                "value_text": rows["OBS_VALUE"],
                "valuation": rows["INDICATOR"].map(lambda i: IMTS_INDICATORS[i][1]),
                "source_row": rows["source_row"],
            },
            columns=PARSED_COLUMNS,
        ),
        "IMF_IMTS",
    )


@cache
def _codes_by_name() -> dict[str, str]:
    return iso3_by_english_name() | DOTS_NAMES


def dots_code(name: str) -> str:
    """ISO-3 (or WLD) for an IMF DOTS economy name; an unknown name is returned as is (and reported)."""
    return _codes_by_name().get(name, name)


def parse_dots(path: Path, _: None) -> pd.DataFrame:
    name = source_file(path)
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError) as exc:
        raise FeedError(name, "file is an Excel workbook", str(exc)) from exc
    records = []
    try:
        missing = sorted(DOTS_SHEETS.keys() - set(book.sheetnames))
        if missing:
            raise FeedError(
                name,
                "DOTS workbook has the sheets 'Exports, FOB' and 'Imports, CIF'",
                f"missing {missing}; sheets {book.sheetnames}",
            )
        for sheet, (flow, valuation) in DOTS_SHEETS.items():
            rows = list(book[sheet].iter_rows(min_col=2, values_only=True))  # column B onwards
            reporter, years = _dots_title(name, sheet, rows)
            for number, (partner, *values) in enumerate(rows[DOTS_YEAR_ROW:], start=DOTS_YEAR_ROW + 1):
                partner = str(partner or "").strip()
                if partner and partner not in DOTS_DROPPED:
                    records += [
                        (reporter, dots_code(partner), flow, "year", year, str(value).strip(), valuation, number)
                        for year, value in zip(years, values, strict=False)
                        if year and value is not None and str(value).strip()
                    ]
    finally:
        book.close()
    raw = pd.DataFrame.from_records(records, columns=PARSED_COLUMNS)
    # The portal's export repeats a partner's row (Australia in rows 8 and 32): identical observations count once.
    return normalized(raw.drop_duplicates(["flow", "partner_code", "period", "value_text"]), "IMF_DOTS", scale=1e6)


def _dots_title(file: str, sheet: str, rows: list[tuple]) -> tuple[str, list[str | None]]:
    """Check one DOTS sheet's title block and year header; return (reporter code, year of each column from C)."""
    unit = rows[DOTS_UNIT_ROW - 1][0] if len(rows) >= DOTS_YEAR_ROW else None
    if unit != DOTS_UNIT:
        raise FeedError(file, f"DOTS sheet says '{DOTS_UNIT}' in B{DOTS_UNIT_ROW}", f"sheet '{sheet}': {unit!r}")
    years = [None if y is None else str(y).strip() for y in rows[DOTS_YEAR_ROW - 1][1:]]
    if not any(years) or not all(re.fullmatch(r"\d{4}", y) for y in years if y):
        raise FeedError(
            file, f"DOTS year header is in row {DOTS_YEAR_ROW} from column C", f"sheet '{sheet}': {years[:5]}"
        )
    return dots_code(str(rows[DOTS_REPORTER_ROW - 1][0] or "").strip()), years


FORMATS = (
    FileFormat("imf_imts_sdmx_csv", parse_imts, frozenset({"OBS_VALUE", "INDICATOR"}), required=IMTS_REQUIRED),
    FileFormat("imf_dots_xlsx", parse_dots, suffixes=(".xlsx",)),
)
