"""One second publication that many tests share: independent good files (different feeds, partners or months) land
together on a copy of the session's published warehouse, and one `korea-warehouse refresh` publishes them all.

Each test that asserts one file's effect names it here; a file's effect must not depend on another's (no two files
touch the same partner-month of one feed). The refresh's exit code and terminal lines are kept for the CLI tests.
"""

import contextlib
import io
import json
import os
import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb

from tests.helpers import FIXTURES, drop

KCS = "kcs_monthly_partner"
LONG = "period,partner_code,flow,value_usd\n"
# the month after the sample's world series (final to 2026-07, provisional to 2026-09), at a plausible value
NEW_MONTH_FILE = "long.csv"
NEW_MONTH = LONG + "2026-10,WLD,export,65000000000\n"
# test_vintages: a revision of the US in 2024-12; a later revision of the US in 2024-02 that removes a crossover
US_REVISION_2024_12 = "kcs_revision_2024_12__vintage-2026-10-15.csv"
US_REVISION_2024_02 = "kcs_revision_2024_02__vintage-2026-10-15.csv"
# test_plausibility: the world in 2024-12 revised by +0.5 % (within the tolerance). Not here: a benchmark revision of
# +30 % (it widens the revision noise every US-China lead is judged against: it has a refresh of its own)
WORLD_REVISION_2024_12 = "kcs_2024_12__vintage-2026-11-16.csv"
# test_monthly_releases: the ministry's preliminary release of 2026-08 for the US and China (the month after the
# final statistics), which moves the US-China lead to 2026-08
RELEASE_2026_08 = "releases_2026_08.csv"
RELEASE_HEADER = "period,region_code,flow,value_usd_mn,yoy_pct,release,release_date,publisher,citing_url\n"
RELEASE_ROWS = (
    "2026-08,USA,export,18500,,preliminary MOTIE,2026-09-01,MOTIR,https://example.org/a\n"
    "2026-08,CHN,export,21900,,preliminary MOTIE,2026-09-01,MOTIR,https://example.org/a\n"
)
# test_gates: two figures of one release that disagree, declared a conflict; the OECD TEC format of firm_size_exports
PUBLISHED = "published_figures"
PUBLISHED_HEADER = (
    "dataset,year,period,flow,partner_code,subject,breakdown,metric,value,unit,qualifier,conflict,basis,"
    "publisher,release,release_date,citation_url,note\n"
)
CRUDE_2024 = (
    "trade_by_product,2024,year,import,USA,crude_oil,,value,{value},{unit},,,customs,KITA,KITA (2025-02-24),"
    "2025-02-24,{url},\n"
)
URL = "https://naeil.com/news/read/539105"
DECLARED_CONFLICT = "kita.csv"
OECD_TEC = FIXTURES / "oecd" / "oecd_tec_kor_2021.csv"
# test_import_composition: the OpenAPI nitemtrade body at HS 6 (energy imports from the US and Australia, 2024-11)
ENERGY_HS6 = FIXTURES / "kcs" / "nitemtrade_us_au_energy_hs6_2024_11.xml"


@dataclass(frozen=True)
class Republished:
    root: Path  # the warehouse directory after the second refresh
    code: int  # the CLI's exit code
    out: list[str]  # its terminal lines
    err: list[str]

    @classmethod
    def of(cls, directory: Path) -> "Republished":
        """The result `republish` left in `directory` (read by every test worker)."""
        saved = json.loads((directory / "result.json").read_text(encoding="utf-8"))
        return cls(directory / "warehouse", saved["code"], saved["out"], saved["err"])


def world_export(published: Path, month: str) -> float:
    """The world's exports of `month` in the session's publication (its only vintage)."""
    with duckdb.connect(str(published / "serving.duckdb"), read_only=True) as con:
        [(value,)] = con.execute(
            """SELECT exports_usd FROM marts.export_vintages WHERE partner_code = 'WLD' AND frequency = 'month'
            AND period_start = ?""",
            [date.fromisoformat(month + "-01")],
        ).fetchall()
    return value


def land(published: Path, root: Path) -> None:
    """The shared files, into the landing directory of `root` (a copy of `published`)."""
    drop(root, KCS, NEW_MONTH_FILE, NEW_MONTH)
    drop(root, KCS, US_REVISION_2024_12, LONG + "2024-12,USA,export,11900000000\n")
    drop(root, KCS, US_REVISION_2024_02, LONG + "2024-02,USA,export,9500000000\n")
    drop(root, KCS, RELEASE_2026_08, RELEASE_HEADER + RELEASE_ROWS)
    drop(
        root,
        KCS,
        WORLD_REVISION_2024_12,
        LONG + f"2024-12,WLD,export,{round(world_export(published, '2024-12') * 1.005)}\n",
    )
    rows = CRUDE_2024.format(value=14249e6, unit="USD", url=URL) + CRUDE_2024.format(value=15249e6, unit="USD", url=URL)
    drop(root, PUBLISHED, DECLARED_CONFLICT, PUBLISHED_HEADER + rows.replace(",,customs,", ",true,customs,"))
    drop(root, "firm_size_exports", OECD_TEC.name, OECD_TEC.read_bytes())
    drop(root, "kcs_product_partner", ENERGY_HS6.name, ENERGY_HS6.read_bytes())


def republish(published: Path, directory: Path) -> None:
    """Copy the published warehouse to `<directory>/warehouse`, land the shared files, run `korea-warehouse refresh`
    on it, and keep its exit code and lines in `<directory>/result.json`."""
    from orchestration import cli

    root = directory / "warehouse"
    root.mkdir(parents=True)
    for name in ("warehouse.duckdb", "serving.duckdb"):
        shutil.copy2(published / name, root / name)
    land(published, root)
    out, err, before = io.StringIO(), io.StringIO(), os.environ.get("WAREHOUSE_DIR")
    os.environ["WAREHOUSE_DIR"] = str(root)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = cli.main(["refresh"])
    finally:
        if before is None:
            os.environ.pop("WAREHOUSE_DIR")
        else:
            os.environ["WAREHOUSE_DIR"] = before
    saved = {"code": code, "out": out.getvalue().splitlines(), "err": err.getvalue().splitlines()}
    (directory / "result.json").write_text(json.dumps(saved), encoding="utf-8")
