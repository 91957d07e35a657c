"""Published monthly releases of exports by destination (raw/kcs_monthly_partner): the documented form.

  kcs_published_releases  `period,region_code,flow,value_usd_mn,yoy_pct,release,release_date,publisher,
                          citing_url[,note]`: one row per figure as a ministry or customs release printed it,
                          in million USD, with its year-on-year growth (data/sample/PROVENANCE.md)

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


def _release_date(text: pd.Series, release: pd.Series, period: pd.Series) -> pd.Series:
    """'YYYY-MM-DD' for a real date, the text itself for anything else (the suite names it). An empty cell: for a
    final KCS release, the last day of the month after the period (customs publish it mid-month, so it was out by
    then); otherwise NA (the file's vintage)."""
    text = text.str.strip()
    parsed = pd.to_datetime(text, format="%Y-%m-%d", errors="coerce").dt.strftime("%Y-%m-%d").astype("string")
    month = pd.to_datetime(period + "-01", format="%Y-%m-%d", errors="coerce")
    final_by = (month + pd.offsets.MonthEnd(2)).dt.strftime("%Y-%m-%d").astype("string")
    undated_final = (text == "") & (release == "final KCS")
    return parsed.fillna(text.mask(text == "")).mask(undated_final, final_by).astype("string")


def parse_releases(path: Path, data: pd.DataFrame) -> pd.DataFrame:
    partner = data["region_code"].str.strip().map(kcs_partner.nine_market_code)
    out = kcs_partner.frame(data["period"], partner, data["flow"].str.strip(), data["value_usd_mn"], source_rows(data))
    out["value_usd"] = out["value_usd"] * MILLION
    value, growth = data["value_usd_mn"].str.strip(), data["yoy_pct"].str.strip()
    basis = ["published" if v else "growth only" if g else "not published" for v, g in zip(value, growth, strict=True)]
    release = data["release"].str.strip()
    return out.assign(
        value_basis=pd.Series(basis, dtype="string").to_numpy(),
        release_type=kcs_partner.release_type(release).to_numpy(),
        release_date=_release_date(data["release_date"], release, out["period"]).to_numpy(),
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
