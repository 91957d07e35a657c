"""Published releases of trade by destination (raw/kcs_monthly_partner): the documented form and customs' own.

  kcs_published_releases  `period,region_code,flow,value_usd_mn,yoy_pct,release,release_date,publisher,
                          citing_url[,note]`: one row per figure as a ministry or customs release printed it,
                          in million USD, with its year-on-year growth (data/sample/PROVENANCE.md); `period` is
                          a month (YYYY-MM) or, for an annual figure, a year (YYYY: `frequency` = `year`)
  kcs_provisional_totals  `기준월,기간구분,…,발표일,수출_USD_mn,…,출처URL`: Korea Customs' provisional world totals
                          (잠정치, released on the 1st with the ministry's preliminary release: `preliminary`). Only
                          whole months (`기간구분` = `MONTH`) are figures of this feed: a 10- or 20-day flash
                          (`D10`, `D20`) is part of a month, never a month, and is left out

Every row is a vintage of its own: its `release_date` (an undated final KCS release: the last day of the month after
the period, by when it was certainly out; other undated rows: the file's vintage). `release` is
`preliminary MOTIE` (the ministry's release on the 1st of the next month), `final KCS` (Korea Customs' final
figures, mid-month) or `other` (compilations that never outrank an official release). A row may give only the
growth rate (`value_basis` = `growth only`: the marts derive the value from the same month a year earlier) or
neither (`not published`: kept, never used). `precision_usd` is the rounding step of the printed value: its
last non-zero digit in million USD, at most 100 mn (a figure printed as "9.9 bn" or "93억" is 9,900 / 9,300).
"""

from pathlib import Path

import pandas as pd

from orchestration.feeds.formats import kcs_partner
from orchestration.feeds.readers import source_rows, to_number
from orchestration.feeds.spec import FileFormat

MILLION = 1e6
# The releases' Middle East and Latin America are the publishers' own region definitions, not the customs
# aggregation of the nine-partner file (2025-04 Middle East: 17억 released, 24억 aggregated): partners of their own
RELEASE_GROUPS = {"MIDDLE_EAST": "MIDDLE_EAST_MOTIE", "LATAM": "LATAM_MOTIE"}
COARSEST_STEP_MN = 100  # press figures are rounded to 0.1 bn USD (1억 = 100 mn) at the coarsest


def precision_mn(text: str) -> float | None:
    """The rounding step of a printed value in million USD: '9290' -> 10, '67448' -> 1, '674.5' -> 0.1."""
    text = text.replace(",", "").strip()
    if not text:
        return None
    if "." in text:
        return 10.0 ** -len(text.split(".", 1)[1])
    digits = text.lstrip("-")
    zeros = len(digits) - len(digits.rstrip("0")) if digits.strip("0") else 0
    return float(min(10**zeros, COARSEST_STEP_MN))


def _release_date(text: pd.Series, release: pd.Series, period: pd.Series, frequency: pd.Series) -> pd.Series:
    """'YYYY-MM-DD' for a real date, the text itself for anything else (the suite names it). An empty cell: for a
    final KCS release, the last day of the month after the period's last month (customs publish it mid-month, so it
    was out by then); otherwise NA (the file's vintage)."""
    text = text.str.strip()
    parsed = pd.to_datetime(text, format="%Y-%m-%d", errors="coerce").dt.strftime("%Y-%m-%d").astype("string")
    month = pd.to_datetime(period + "-01", format="%Y-%m-%d", errors="coerce")
    last_month = month.where(frequency != "year", month + pd.DateOffset(months=11))
    final_by = (last_month + pd.offsets.MonthEnd(2)).dt.strftime("%Y-%m-%d").astype("string")
    undated_final = (text == "") & (release == "final KCS")
    return parsed.fillna(text.mask(text == "")).mask(undated_final, final_by).astype("string")


def _period(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """A month as written, or a year (YYYY) as its first month: (period, frequency)."""
    text = text.str.strip()
    year = text.str.fullmatch(r"\d{4}")
    return text.mask(year, text + "-01"), pd.Series("month", index=text.index, dtype="string").mask(year, "year")


def parse_releases(path: Path, data: pd.DataFrame) -> pd.DataFrame:
    return _releases(data, source_rows(data))


def _releases(data: pd.DataFrame, rows: pd.Series) -> pd.DataFrame:
    """The feed's frame of rows in the documented form (`rows`: their lines in the file)."""
    region = data["region_code"].str.strip()
    partner = region.map(lambda code: RELEASE_GROUPS.get(code) or kcs_partner.nine_market_code(code))
    period, frequency = _period(data["period"])
    out = kcs_partner.frame(period, partner, data["flow"].str.strip(), data["value_usd_mn"], rows)
    out["value_usd"] = out["value_usd"] * MILLION
    out["frequency"] = frequency.to_numpy()
    value, growth = data["value_usd_mn"].str.strip(), data["yoy_pct"].str.strip()
    basis = ["published" if v else "growth only" if g else "not published" for v, g in zip(value, growth, strict=True)]
    release = data["release"].str.strip()
    return out.assign(
        value_basis=pd.Series(basis, dtype="string").to_numpy(),
        release_type=kcs_partner.release_type(release).to_numpy(),
        release_date=_release_date(data["release_date"], release, out["period"], out["frequency"]).to_numpy(),
        yoy_pct=to_number(growth).to_numpy(),
        precision_usd=(value.map(precision_mn).astype("float64") * MILLION).to_numpy(),
        publisher=data["publisher"].str.strip().mask(data["publisher"].str.strip() == "").to_numpy(),
        citation_url=data["citing_url"].str.strip().mask(data["citing_url"].str.strip() == "").to_numpy(),
    )[kcs_partner.FRAME_COLUMNS]


RELEASES = FileFormat(
    "kcs_published_releases",
    parse_releases,
    frozenset({"region_code", "value_usd_mn", "release"}),
    required=(
        "period",
        "region_code",
        "flow",
        "value_usd_mn",
        "yoy_pct",
        "release",
        "release_date",
        "publisher",
        "citing_url",
    ),
)


PROVISIONAL_PUBLISHER = "Korea Customs Service (provisional, 잠정치)"
WHOLE_MONTH = "MONTH"  # `기간구분` of a whole month; D10/D20 are 10- and 20-day flashes


def parse_provisional(path: Path, data: pd.DataFrame) -> pd.DataFrame:
    """Customs' provisional world totals, whole months only, as rows of the documented form."""
    data = data.assign(line=source_rows(data))
    months = data[data["기간구분"].str.strip() == WHOLE_MONTH]
    flows = [
        pd.DataFrame(
            {
                "period": months["기준월"],
                "region_code": "WLD",
                "flow": flow,
                "value_usd_mn": months[value],
                "yoy_pct": months[growth],
                "release": "preliminary MOTIE",
                "release_date": months["발표일"],
                "publisher": PROVISIONAL_PUBLISHER,
                "citing_url": months["출처URL"],
                "line": months["line"],
            }
        )
        for flow, value, growth in (("export", "수출_USD_mn", "수출YoY_pct"), ("import", "수입_USD_mn", "수입YoY_pct"))
    ]
    rows = pd.concat(flows, ignore_index=True)
    return _releases(rows, rows["line"])


PROVISIONAL = FileFormat(
    "kcs_provisional_totals",
    parse_provisional,
    frozenset({"기준월", "기간구분", "발표일"}),
    required=("기준월", "기간구분", "발표일", "수출_USD_mn", "수출YoY_pct", "수입_USD_mn", "수입YoY_pct", "출처URL"),
)
