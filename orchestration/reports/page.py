"""The report page `<warehouse>/reports/index.html`: headline figures, the charts, the publication.

Static HTML with inline CSS, no script and no external resource; every text from the data is escaped. The
page is built in memory and written to a temporary name renamed over the old page: a failure leaves the
previous page in place.
"""

import struct
from html import escape
from pathlib import Path

import pandas as pd

from orchestration import freshness
from orchestration.reports import data, headlines
from orchestration.reports.charts import CHARTS, HS8542, STATUS_COLOURS, offset_skipped_note, write_atomically
from orchestration.reports.headlines import latest_us_china_shares

DOCS = "../docs/index.html"  # the dbt docs (`make docs` writes <warehouse>/docs/)
FREQUENCY_ORDER = ["month", "quarter", "year"]
STYLE = """
body { font-family: "Noto Sans CJK KR", "NanumGothic", "Apple SD Gothic Neo", "Malgun Gothic", sans-serif;
       margin: 2rem auto; max-width: 1260px; padding: 0 1rem; color: #222; line-height: 1.45; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; } h2 { margin-top: 2rem; border-bottom: 1px solid #ddd; }
.meta { color: #555; font-size: .9rem; }
table { border-collapse: collapse; margin: .5rem 0 1rem; } th, td { padding: .3rem .8rem; text-align: left; }
th { background: #f2f4f7; }
tr + tr td { border-top: 1px solid #eee; }
.flag { color: #b71c1c; font-weight: bold; } .note { color: #666; font-size: .85rem; }
.status { color: #fff; font-weight: bold; padding: .1rem .4rem; border-radius: .3rem; white-space: nowrap; }
#claims td { vertical-align: top; font-size: .9rem; }
figure { margin: 1.5rem 0 2.5rem; } img { max-width: 100%; height: auto; border: 1px solid #eee; }
figcaption { font-size: .9rem; color: #444; }
"""


def _period(start, frequency: str) -> str:
    start = pd.Timestamp(start)
    return {"month": f"{start:%Y-%m}", "quarter": f"{start.year}-Q{start.quarter}"}.get(frequency, f"{start.year}")


def _png_size(path: Path) -> tuple[int, int]:
    """Width and height from a PNG's header."""
    with path.open("rb") as f:
        return struct.unpack(">II", f.read(24)[16:24])


def _table(header: list[str], rows: list[list[str]], table_id: str = "") -> str:
    """An HTML table; cells are HTML already (escape before)."""
    head = "".join(f"<th>{h}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    opening = f'<table id="{table_id}">' if table_id else "<table>"
    return f"{opening}<tr>{head}</tr>{body}</table>"


def _mart(name: str) -> str:
    return f"<code>marts.{name}</code>"


def latest_paragraph(con) -> str:
    """The latest month on the best figures (with its release), leads that existed only in a first release, and what
    drove the latest year to date."""
    items = []
    if lead := headlines.latest_lead(con):
        items.append(f"<li>Latest month with both: <b>{escape(lead.line())}</b> ({_mart('us_china_lead')})</li>")
    items += [
        f'<li class="flag">A lead only in the first release: {escape(f"{start:%Y-%m}")} {escape(note)} '
        f"({_mart('release_revisions')})</li>"
        for start, note in headlines.first_release_leads(con)
    ]
    if drivers := headlines.growth_drivers(con):
        items.append(
            f"<li>What drove it: {escape(drivers.line())} ({_mart('export_growth_contributions')}; the HS 8542 "
            f"figures: {escape(HS8542)})</li>"
        )
    return f'<ul id="latest">{"".join(items)}</ul>'


def shares_table(con) -> str:
    """Latest US and China shares per frequency, and who leads."""
    latest = {}
    for frequency, start, code, share in latest_us_china_shares(con):
        latest.setdefault((frequency, start), {})[code] = share
    rows = []
    for (frequency, start), shares in latest.items():
        us, cn = shares.get("USA"), shares.get("CHN")
        lead = "" if us is None or cn is None else ("미국 US" if us > cn else "중국 China")
        rows.append(
            [escape(frequency), escape(_period(start, frequency))]
            + [f"{s * 100:.1f} %" if s is not None else "n/a" for s in (us, cn)]
            + [escape(lead)]
        )
    return _table(["frequency", "latest period", "미국 US share", "중국 China share", "ahead"], rows, "latest-shares")


NAMES = {"USA": "the US", "CHN": "China"}


def crossover_row(row, still_leads: bool = False) -> list[str]:
    """A crossover of data.us_china_crossovers as a table row: frequency, who led from when and since when, the
    margin, and what makes it fragile (data.fragility_causes: a derived value, a first release only, a margin within
    revision noise), whichever partner leads. `still_leads`: no crossover came after it ("ahead since")."""
    period = _period(row.period_start, row.frequency)
    since = (
        f"first since {_period(row.previous_lead_start, row.frequency)}"
        if pd.notna(row.previous_lead_start)
        else "first in the data"
    )
    leader, trailer = NAMES.get(row.leader_code, row.leader_code), NAMES.get(row.trailer_code, row.trailer_code)
    text = escape(
        f"{leader[0].upper()}{leader[1:]} ahead of {trailer} {'since' if still_leads else 'in'} {period}, {since}"
    )
    if row.status != "current":
        text = f'<span class="flag">{escape(period)}: {escape(row.release_note)}</span>'
    return [
        escape(row.frequency),
        text,
        f"{row.margin_usd / 1e9:,.2f}&nbsp;bn&nbsp;USD",
        escape("; ".join(data.fragility_causes(row))),
    ]


def crossovers_table(con) -> str:
    """Per frequency, the latest crossover on the figures in use, whichever partner leads, and since when that was
    first; where China leads, also the latest period in which the US overtook China. Then the crossovers that only
    first-release figures show. Each with its margin and, for a fragile one, why (a note for either leader)."""
    crossings = data.us_china_crossovers(con)
    rows = []
    for frequency in FREQUENCY_ORDER:
        ours = crossings[crossings.frequency == frequency]
        if ours.empty:
            continue
        last = ours.iloc[-1]
        rows.append(crossover_row(last, still_leads=True))
        latest_us = ours[ours.leader_code == "USA"]
        if last.leader_code != "USA" and not latest_us.empty:
            rows.append(crossover_row(latest_us.iloc[-1]))
    for row in data.us_china_crossovers(con, "removed by a later vintage").itertuples():
        if row.release_note.startswith(f"{row.leader_code} ahead only in the first release"):
            rows.append(crossover_row(row))
    return _table(["frequency", "latest crossover, US vs China", "margin", "note"], rows, "crossovers")


def surplus_paragraph(con) -> str:
    """The latest annual surplus with the US, its watch flag and the threshold."""
    last = data.us_balance(con).iloc[-1]
    flag = last.watch_flag or "none"
    flagged = f'<span class="flag">{escape(flag)}</span>' if flag != "none" else escape(flag)
    return (
        f"<p>Surplus with the US in {int(last.year)}: <b>{last.balance_usd / 1e9:,.1f} bn USD</b> "
        f"(exports {last.exports_usd / 1e9:,.1f} bn FOB, imports {last.imports_usd / 1e9:,.1f} bn CIF); "
        f"watch flag: {flagged} (threshold {last.watch_threshold_usd / 1e9:,.0f} bn USD a year, the US Treasury's "
        "bilateral criterion).</p>"
    )


def indirect_paragraph(con) -> str:
    """This warehouse's gross proxy of exports to US demand through China (marts.value_added_exports, computed rows),
    the latest year, said to be what it is: an upper bound (its `qualifier`), not a value-added estimate. Empty if the
    mart has no computed row."""
    try:
        rows = data.gross_proxy(con)
    except data.MissingData:
        return ""
    paragraphs = []
    for _, last in rows.groupby("channel").tail(1).iterrows():
        transit = escape(last.channel.split(" →")[0])
        paragraphs.append(
            f"<p class=\"indirect\">Korea's exports reaching US demand through {transit}, this warehouse's gross "
            f"proxy for {int(last.year)}: <b>{last.value / 1e9:,.1f} bn USD, an {escape(last.qualifier)}</b>. "
            f"Korea's exports to {transit} ({last.korea_exports_to_transit_usd / 1e9:,.1f} bn) × the US share of "
            f"{transit}'s exports ({last.us_share_of_transit_exports * 100:.1f} %): gross values, not Korean value "
            f"added, and not a published estimate ({_mart('value_added_exports')}, <code>institute = 'computed "
            "(this warehouse)'</code>).</p>"
        )
    return "\n".join(paragraphs)


def claims_table(con) -> str:
    """Every claim of the note: its words and where they are, how the warehouse tests it (labelled as ours), its
    status and why."""
    claims = data.claims(con)
    tally = claims.status.value_counts()
    parts = ", ".join(f"{tally[status]} {escape(status)}" for status in STATUS_COLOURS if status in tally)
    rows = [
        [
            f'<b>{escape(row.claim)}</b><br><span class="note">{escape(row.source_passage)}</span>',
            escape(f"tested as: {row.test_reading}") if isinstance(row.test_reading, str) else "",
            f'<span class="status" style="background:{STATUS_COLOURS[row.status]}">{escape(row.status)}</span>',
            escape(row.reason),
        ]
        for row in claims.itertuples()
    ]
    return (
        f"<p>Claims of the Bank of Korea's Issue Note No. 2024-9 and of figures reported around it: {len(claims)} in "
        f"all, {parts} ({_mart('report_claims')}). A claim is its source's words; the reading that makes it "
        "testable is the warehouse's own.</p>"
        + _table(
            ["claim (its source's words) and where it is said", "how the warehouse tests it", "status", "why"],
            rows,
            "claims",
        )
    )


# the feed and release each headline's figures come from (marts.feed_freshness)
CUSTOMS_FINAL = ("kcs_monthly_partner", "final statistics by country")
HEADLINE_SOURCES = {"customs": CUSTOMS_FINAL, "indirect": ("partner_reported_trade", "direction of trade, annual")}


def freshness_rows(con) -> dict[tuple[str, str | None], tuple]:
    """(feed, release) -> the row of marts.feed_freshness: the latest period held against the calendar's."""
    rows = con.execute(
        "SELECT feed, release, publisher, frequency, latest_period, expected_period, expected_since, periods_behind, "
        "status, is_behind, as_of FROM marts.feed_freshness ORDER BY feed, release"
    ).fetchall()
    return {(r[0], r[1]): r for r in rows}


def as_of_note(fresh: dict, headline: str) -> str:
    """What headlines' figures run to, and, flagged, how far their feed is behind its release calendar (customs: the
    figures of the headline section; indirect: the gross proxy)."""
    row = fresh.get(HEADLINE_SOURCES[headline])
    if row is None:
        return ""
    feed, release, _, frequency, latest, expected, since, behind, status, is_behind, as_of = row
    held = freshness.label(latest, frequency) or "none"
    text = f"Data to {escape(held)}: {escape(release)} (<code>{escape(feed)}</code>)."
    if is_behind:
        text += (
            f' <span class="flag">Stale: {escape(freshness.label(expected, frequency))} was due on {since} '
            f"({behind} {'months' if frequency == 'month' else 'years'} behind on {as_of}).</span>"
        )
    return f'<p class="note">{text}</p>'


def freshness_table(fresh: dict) -> str:
    """Every feed's release against its calendar on the day of the build (marts.feed_freshness)."""
    rows = [
        [
            f"<code>{escape(feed)}</code>",
            escape(release or "no calendar"),
            escape(freshness.label(latest, frequency) or "none") if release else "",
            escape(freshness.label(expected, frequency)),
            escape(str(since or "")),
            f'<span class="flag">{escape(status)}</span>' if is_behind else escape(status),
        ]
        for feed, release, _, frequency, latest, expected, since, _, status, is_behind, _ in fresh.values()
    ]
    as_of = next(iter(fresh.values()))[-1] if fresh else ""
    return (
        f"<p>Each feed's newest period against what its publisher should have released by {as_of}, the day of this "
        f"publication's build ({_mart('feed_freshness')}; the due dates are our reading of each publisher's "
        "practice). A stale feed never stops a publication.</p>"
        + _table(["feed", "release", "latest held", "should have", "due since", "status"], rows, "freshness")
    )


def chart_notes(con) -> dict[str, str]:
    """What a chart's caption says besides its title: the years the surplus-offset chart skips and why, what HS 8542
    is."""
    notes = {"surplus_offset": offset_skipped_note(con)}
    notes |= {name: f"{HS8542[:1].upper()}{HS8542[1:]}" for name in ("growth_contributions", "us_products")}
    return {name: note for name, note in notes.items() if note}


def figures(directory: Path, notes: dict[str, str] | None = None) -> str:
    """One figure per chart: the PNG (linking to the SVG) with its note (`notes`), or a line saying it has not been
    rendered."""
    parts = []
    for name, chart in CHARTS.items():
        png, svg = directory / f"{name}.png", directory / f"{name}.svg"
        note = f'<br><span class="caption-note">{escape(notes[name])}</span>' if name in (notes or {}) else ""
        caption = f'{escape(chart.title)}: <a href="{name}.png">PNG</a> · <a href="{name}.svg">SVG</a>{note}'
        if not png.exists():
            parts.append(
                f'<figure id="{name}"><figcaption>{escape(chart.title)}: not rendered yet</figcaption></figure>'
            )
            continue
        width, height = _png_size(png)
        image = f'<img src="{name}.png" alt="{escape(chart.title)}" width="{width}" height="{height}">'
        target = f"{name}.svg" if svg.exists() else f"{name}.png"
        parts.append(f'<figure id="{name}"><a href="{target}">{image}</a><figcaption>{caption}</figcaption></figure>')
    return "\n".join(parts)


def build(con, directory: Path) -> str:
    """The page's HTML, from the serving file `con` and the chart files in `directory`."""
    publication_id, published_at = data.publication(con)
    fresh = freshness_rows(con)
    docs = directory.parent / "docs" / "index.html"
    docs_note = "" if docs.exists() else ' <span class="note">(not built yet: run <code>make docs</code>)</span>'
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Korea export structure: the US and China</title>
<style>{STYLE}</style></head>
<body>
<h1>Korea's exports: the US, China and the Bank of Korea's Issue Note No. 2024-9</h1>
<p class="meta">Publication <code>{escape(str(publication_id))}</code>, published
{escape(f"{pd.Timestamp(published_at):%Y-%m-%d %H:%M:%S}")} UTC, from <code>serving.duckdb</code> (schema
<code>marts</code>). Customs basis (Korea Customs Service): exports FOB, imports CIF, shares of the reported world
total. Column descriptions: <a href="{DOCS}">dbt docs</a>{docs_note}.</p>
<h2>Headline figures</h2>
{as_of_note(fresh, "customs")}
<h3>The latest month, on the best figures</h3>
{latest_paragraph(con)}
<h3>Latest shares of Korea's exports</h3>
{shares_table(con)}
<h3>Crossovers: the latest per frequency</h3>
{crossovers_table(con)}
<h3>The surplus with the US</h3>
{surplus_paragraph(con)}
<h3>Indirect exports to the US</h3>
{as_of_note(fresh, "indirect")}
{indirect_paragraph(con)}
<h3>The note's claims</h3>
{claims_table(con)}
<h2>Is this the latest?</h2>
{freshness_table(fresh)}
<h2>Charts</h2>
<p class="note">Click a chart for its SVG.</p>
{figures(directory, chart_notes(con))}
</body></html>
"""


def write(con, directory: Path) -> Path:
    """Build the page and swap it in as `<directory>/index.html`; on any error the old page stays."""
    html = build(con, directory)
    path = directory / "index.html"
    write_atomically(path, html.encode("utf-8"))
    return path
