"""The report charts, drawn with matplotlib (Agg, no pyplot) from serving.duckdb, saved as PNG and SVG.

Each chart is one function `con -> Figure`, listed in CHARTS. `render()` draws a chart completely in memory
and only then writes `<name>.png` and `<name>.svg`, each to a temporary name renamed over the old file: a
chart whose data are missing (data.MissingData) or whose drawing fails raises before anything is written,
and leaves the previous files of that chart in place.
"""

import io
import os
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import matplotlib
import matplotlib.dates
import matplotlib.ticker
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.textpath import TextToPath
from PIL import Image

from orchestration.reports import data
from orchestration.reports.data import partner_label
from orchestration.reports.fonts import hangul_font

DPI = 110  # the PNG files: 11 in wide = 1210 px
PREVIEW_DPI = 60  # the PNG in Dagster's metadata, stored with every materialization: 64 colours, ~10-35 kB
COLOURS = {"USA": "#1f5aa6", "CHN": "#c62828", "energy": "#ef8a17", "agri": "#4f9a3a", "extra": "#37474f"}
# the partners of the contributions chart: stacked month by month, the rest summed as the rest of the world
STACKED = ["CHN", "USA", "ASEAN", "HKG", "TWN", "EU27"]
PARTNER_COLOURS = COLOURS | {
    "ASEAN": "#2e7d32",
    "HKG": "#ef8a17",
    "TWN": "#7b1fa2",
    "EU27": "#00838f",
    "JPN": "#5d4037",
}
# a label's leader line: thin, dashed, neutral grey (never a partner's colour: it must not read as data)
ARROW = {"arrowstyle": "-", "color": "#8c8c8c", "lw": 0.6, "ls": (0, (3, 2)), "shrinkA": 0, "shrinkB": 2}
LABEL_BOX = {"boxstyle": "round,pad=0.2", "fc": "white", "ec": "#c5d0e0", "lw": 0.6}
LABEL_SIZE = 8.5  # points: the crossover labels
STATUS_COLOURS = dict(
    zip(data.STATUSES, ("#2e7d32", "#9e6a00", "#c62828", "#5c6bc0", "#8d8d8d"), strict=True)
)  # report_claims.status
CUSTOMS = "Korea Customs Service via the Korea export-structure warehouse, customs basis"
# what HS 8542 is, wherever it is shown: the ministry's MTI semiconductors are a different, larger definition
HS8542 = "integrated circuits (HS 8542), not the ministry's semiconductor total"
PRODUCT_LABELS = {"semiconductors (HS 8542)": HS8542}  # product_composition's product_group → what a chart says


def _style() -> dict:
    """One font with Hangul for all text (no U+2212 minus in NanumGothic: ASCII hyphen); text as paths in SVG."""
    return {
        "font.family": hangul_font().family,
        "axes.unicode_minus": False,
        "font.size": 10,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.grid": True,
        "grid.alpha": 0.3,
        "axes.titlesize": 11,
        "axes.titleweight": hangul_font().bold_weight,
        "axes.titlelocation": "left",
        "svg.fonttype": "path",
        "svg.hashsalt": "korea-export-reports",  # same chart, same SVG
    }


def _bold() -> int:
    return hangul_font().bold_weight


def _figure(title: str, subtitle: str, source: str, size=(11, 6.2)) -> Figure:
    """A figure with its title and subtitle on top and the source (wrapped) at the bottom."""
    fig = Figure(figsize=size, layout="constrained")
    source = textwrap.fill(f"Source: {source}", 16 * size[0])
    top, bottom = (0.85 + 0.17 * subtitle.count("\n")) / size[1], (0.22 + 0.15 * source.count("\n")) / size[1]
    fig.get_layout_engine().set(rect=(0, bottom, 1, 1 - top - bottom))
    fig.text(0.01, 1 - 0.12 / size[1], title, fontsize=14, fontweight=_bold(), va="top")
    fig.text(0.01, 1 - 0.48 / size[1], subtitle, fontsize=10, color="#444444", va="top", linespacing=1.5)
    fig.text(0.01, 0.08 / size[1], source, fontsize=8, color="#666666", va="bottom")
    return fig


def _period(start, frequency: str) -> str:
    """'2023-12', '2024-Q1', '2024 H1', '2024'."""
    start = pd.Timestamp(start)
    return {
        "month": f"{start:%Y-%m}",
        "quarter": f"{start.year}-Q{start.quarter}",
        "half": f"{start.year} H{1 + (start.month > 6)}",
    }.get(frequency, f"{start.year}")


def _bn(usd: float) -> str:
    return f"{usd / 1e9:,.1f}"


MIDDLE = {"month": pd.Timedelta(days=14), "quarter": pd.Timedelta(days=45)}  # where a period's point is drawn
STEP = {"month": "MS", "quarter": "QS"}  # the periods of a frequency (first days)


def share_series(shares: pd.DataFrame, code: str, frequency: str, since=None) -> pd.Series:
    """The share (%) of partner `code` per period of `frequency`, indexed by every period from the first to the last
    that any partner has at that frequency (from `since`): a period without a value is NaN, so the line breaks
    there instead of bridging it."""
    rows = shares[shares.frequency == frequency]
    if rows.empty:
        return pd.Series(dtype=float)
    periods = pd.date_range(rows.period_start.min(), rows.period_start.max(), freq=STEP[frequency])
    mine = rows[(rows.partner_code == code) & rows.share.notna()].set_index("period_start").share
    series = mine.reindex(periods) * 100
    return series[series.index >= since] if since is not None else series


def series_gaps(series: pd.Series) -> list:
    """The periods without a value between a series' first and last value."""
    inside = series.loc[series.first_valid_index() : series.last_valid_index()] if series.notna().any() else series
    return list(inside.index[inside.isna()])


def crossover_labels(crossings: pd.DataFrame, since, long_gaps_only: bool = False) -> pd.DataFrame:
    """The crossovers of `crossings` (data.us_china_crossovers, either leader, any status) from `since` that get a
    label, each with its `text`: every one, whichever partner leads, or (`long_gaps_only`) only those after a year of
    months or four quarters (or first in the data). A crossover only a first release shows (status `removed by a
    later vintage`, release note '… ahead only in the first release …') is labelled as such; another removed one
    (its leader already led on the figures in use) is not a crossover of any line drawn and gets none."""
    shown = crossings[(crossings.period_start >= since) & crossings.frequency.isin(list(MIDDLE))].copy()
    drawn = [
        row.status == "current"
        or (isinstance(row.release_note, str) and row.release_note.startswith(f"{row.leader_code} ahead only in"))
        for row in shown.itertuples()
    ]
    shown = shown[pd.Series(drawn, index=shown.index, dtype=bool)]
    if long_gaps_only:
        shown = shown[(shown.status == "current") & (shown.periods_since.isna() | (shown.periods_since >= 12)
                      | ((shown.frequency == "quarter") & (shown.periods_since >= 4)))]  # fmt: skip
    shown = shown.sort_values(["period_start", "frequency"])
    shown["text"] = [crossover_text(row) for row in shown.itertuples()]
    return shown


def crossover_text(row) -> str:
    """'2025-04: 중국 China ahead / first since 2024-11', with the causes of a fragile lead on a line of their own."""
    period = _period(row.period_start, row.frequency)
    if row.status != "current":
        return f"{period}: {partner_label(row.leader_code)} ahead\nonly in the first release"
    since = (
        f"first since {_period(row.previous_lead_start, row.frequency)}"
        if pd.notna(row.previous_lead_start)
        else "first in the data"
    )
    causes = data.fragility_causes(row)
    return f"{period}: {partner_label(row.leader_code)} ahead\n{since}" + (f"\n({'; '.join(causes)})" if causes else "")


def text_width_px(text: str, size: float = LABEL_SIZE) -> float:
    """Width in pixels (at DPI) of the widest line of `text` in the Hangul font, with a label box's padding."""
    prop = FontProperties(family=hangul_font().family, size=size)
    widths = [TextToPath().get_text_width_height_descent(line, prop, ismath=False)[0] for line in text.splitlines()]
    return (max(widths, default=0) + 0.8 * size) * DPI / 72


def label_places(labelled: pd.DataFrame, start, end, days_per_px: float, step: float) -> dict:
    """Where the labels of the last 24 months go (x in dates, y in axes fraction): under their crossover, in the band
    at the bottom, one level up where a label would overlap one already on its level (widths measured in the font,
    `days_per_px` on the axis); x kept inside [start, end] with half a label's width to spare."""
    ends, places = [], {}
    for row in labelled.itertuples():
        half = pd.Timedelta(days=(text_width_px(row.text) / 2 + 4) * days_per_px)
        x = min(max(row.period_start + MIDDLE[row.frequency], start + half), end - half)
        level = next((n for n, right in enumerate(ends) if right < x - half), len(ends))
        ends[level : level + 1] = [x + half]
        places[row.Index] = (x, 0.02 + step * level)
    return places


def us_china_shares(con) -> Figure:
    """(a) US and China shares of Korea's exports, monthly and quarterly, with the crossovers marked: every crossover
    of the last 24 months labelled (either leader), the long-awaited ones since 2000; a period without a value is a
    break in its line; leader lines thin, dashed and grey (never a partner's colour)."""
    shares, crossings = data.us_china_shares(con), data.us_china_crossovers(con)
    removed = data.us_china_crossovers(con, "removed by a later vintage")
    if len(removed):
        crossings = pd.concat([crossings, removed], ignore_index=True) if len(crossings) else removed
    latest = shares[shares.frequency == "month"].period_start.max()
    zoom_from = latest - pd.DateOffset(months=23)
    lines = {
        (code, frequency): share_series(shares, code, frequency) for code in ("USA", "CHN") for frequency in MIDDLE
    }
    gaps = [
        f"{partner_label(code)} {', '.join(_period(p, frequency) for p in missing[:4])}"
        + (f" and {len(missing) - 4} more" if len(missing) > 4 else "")
        for (code, frequency), series in lines.items()
        if (missing := series_gaps(series))
    ]
    fig = _figure(
        "The US and China in Korea's exports: shares since 2000 and every crossover",
        "Share of Korea's exports to the world, %: thin lines monthly, thick lines quarterly. "
        "▲ US ahead of China again, ▼ China ahead of the US again, ◇ ahead only in a first release"
        + (f"\nA break in a line: no value ({'; '.join(gaps)}), never bridged" if gaps else ""),
        CUSTOMS + " (monthly and quarterly sums of months; shares of the reported world total)",
        size=(11, 8.8),
    )
    whole, recent = fig.subplots(2, 1, height_ratios=[1.15, 1])
    for ax, since in ((whole, shares.period_start.min()), (recent, zoom_from)):
        for (code, frequency), series in lines.items():
            series = series[series.index >= since]
            width, alpha = (0.9, 0.55) if frequency == "month" else (2.4, 1.0)
            label = f"{partner_label(code)}, {'monthly' if frequency == 'month' else 'quarterly'}"
            ax.plot(series.index + MIDDLE[frequency], series.values, lw=width, alpha=alpha, color=COLOURS[code],
                    label=label)  # fmt: skip
            alone = series.notna() & series.shift(1).isna() & series.shift(-1).isna()  # a value between two gaps
            ax.plot(series.index[alone] + MIDDLE[frequency], series[alone].values, ls="", marker="o", ms=2.5,
                    alpha=alpha, color=COLOURS[code])  # fmt: skip
        ax.set_ylabel("% of Korea's exports")
        ax.margins(x=0.01)
    whole.set_title(f"Since {shares.period_start.min().year}: crossovers after a year or more labelled")
    recent.set_title(f"The last 24 months, every crossover labelled ({_period(zoom_from, 'month')} to "
                     f"{_period(latest, 'month')})")  # fmt: skip
    whole.legend(loc="upper left", ncols=2, frameon=False)
    for ax, since in ((whole, shares.period_start.min()), (recent, zoom_from)):
        labelled = crossover_labels(crossings, since, long_gaps_only=ax is whole)
        if ax is recent:
            left, right = (pd.Timestamp(matplotlib.dates.num2date(v)).tz_localize(None) for v in ax.get_xlim())
            days_per_px = (right - left).days / (0.92 * fig.get_figwidth() * DPI)  # the axis: ~92 % of the width
            text_lines = max((t.count("\n") + 1 for t in labelled.text), default=2)
            step = (text_lines * 1.25 * LABEL_SIZE + 8) / (
                72 * 0.42 * fig.get_figheight()
            )  # a label's height, axes frac.
            label_at = label_places(labelled, left, right, days_per_px, step)
            band = max((y for _, y in label_at.values()), default=0) + step + 0.02  # the labels' share of the axes
            low, high = shares[shares.period_start >= zoom_from].share.agg(["min", "max"]) * 100
            total = max(high - low, 1.0) / (0.93 - band)  # a single month (a small test feed) gets a visible range
            recent.set_ylim(low - band * total, low + (1 - band) * total)
            ticks = matplotlib.ticker.MaxNLocator(5, steps=[1, 2, 5, 10]).tick_values(low, high)
            recent.set_yticks([t for t in ticks if low - 0.1 * total <= t <= high + 0.05 * total])  # none in the band
        else:  # between the lines: the US's to the right, China's to the left
            us, cn = labelled[labelled.leader_code == "USA"].index, labelled[labelled.leader_code == "CHN"].index
            label_at = {index: (0.75, 0.40 - 0.12 * n) for n, index in enumerate(us)} | {
                index: (0.22, 0.40 - 0.12 * n) for n, index in enumerate(cn)
            }
        for row in crossings[crossings.period_start >= since].itertuples():
            series = lines[(row.leader_code, row.frequency)] if row.frequency in MIDDLE else None
            value = series.get(pd.Timestamp(row.period_start)) if series is not None else None
            if value is None or pd.isna(value):
                continue
            current = row.status == "current"
            if not current and row.Index not in labelled.index:
                continue
            x, y = row.period_start + MIDDLE[row.frequency], value
            ax.plot(x, y, marker=("^" if row.leader_code == "USA" else "v") if current else "D",
                    ms=(10 if row.frequency == "quarter" else 6) if current else 6,
                    color=COLOURS[row.leader_code] if current else "white", mec=COLOURS[row.leader_code] if not current
                    else "white", mew=1.4 if not current else 1.0, zorder=5)  # fmt: skip
            if row.Index not in labelled.index:
                continue
            xytext = label_at[row.Index]
            ax.annotate(labelled.text[row.Index], (x, y), xytext=xytext, fontsize=LABEL_SIZE, va="bottom",
                        textcoords=ax.get_xaxis_transform() if ax is recent else "axes fraction",
                        ha="center" if ax is recent else ("right" if xytext[0] > 0.5 else "left"),
                        zorder=6 + 10 * xytext[1],  # an upper label hides the lines of lower ones
                        color=COLOURS[row.leader_code], arrowprops=ARROW, bbox=LABEL_BOX)  # fmt: skip
    return fig


def lead_notes(led: pd.DataFrame) -> dict:
    """{month: label} for the fragile months of data.us_china_lead that the lead chart labels, whichever partner
    leads: every one that rests on a derived value, and every one with a margin under 50 mn USD (too thin a bar to
    see), unless a first-release note labels the month already; the label says the causes
    (data.lead_fragility_causes)."""
    notes = {}
    for row in led[led.fragile & led.release_note.isna()].itertuples():
        causes = data.lead_fragility_causes(row)
        if data.DERIVED in causes or row.margin_usd < 0.05e9:
            margin = f"{row.margin_usd / 1e6:,.1f} mn" if row.margin_usd < 1e9 else f"{row.margin_usd / 1e9:,.2f} bn"
            notes[row.period_start] = (
                f"{row.period_start:%Y-%m}: {partner_label(row.leader_code)} ahead by {margin} USD,\n"
                f"fragile: {'; '.join(causes)}"
            )
    return notes


def us_china_lead(con) -> Figure:
    """(a2) Who led, month by month since 2023: US minus China exports on the figures in use, the first release
    where it differs (◇), fragile leads (a derived value, a margin within rounding or revision noise) hatched and,
    where derived or too thin to see, labelled with the cause (either leader), gaps marked."""
    rows = data.us_china_lead(con)
    gap = (rows.us_exports_usd - rows.china_exports_usd) / 1e9
    first_gap = (rows.us_first_release_usd - rows.china_first_release_usd) / 1e9
    led = rows[gap.notna()]
    us_months, months = int((led.leader_code == "USA").sum()), len(led)
    fig = _figure(
        "Who led, month by month: Korea's exports to the US minus exports to China",
        f"bn USD on the figures in use: above zero the US ahead ({us_months} of {months} months since "
        f"{rows.period_start.min():%Y-%m}), below China.\nHatched: a fragile lead (a derived value, or a margin within "
        "rounding or revision noise). ◇ a first release that had the other side ahead",
        "Korea Customs Service final statistics (nine partners and every country, to "
        f"{led.period_start.max():%Y-%m}); first releases: the trade ministry's preliminary and customs' final "
        "monthly releases (data/sample/PROVENANCE.md); via the Korea export-structure warehouse "
        "(marts.us_china_lead, marts.release_revisions)",
        size=(11, 5.8),
    )
    ax = fig.subplots()
    for row, value in zip(rows.itertuples(), gap, strict=True):
        if pd.isna(value):
            ax.plot(row.period_start, 0, marker="x", color="#555555", ms=8, zorder=4)
            ax.annotate(row.missing, (row.period_start, 0), xytext=(0, 10), textcoords="offset points",
                        fontsize=8, ha="center", color="#555555")  # fmt: skip
            continue
        colour = COLOURS["USA"] if value > 0 else COLOURS["CHN"]
        ax.bar(row.period_start, value, width=24, color=colour, alpha=0.5 if row.fragile else 0.9,
               hatch="///" if row.fragile else None, edgecolor=colour, lw=0.6)  # fmt: skip
    flipped = rows[rows.release_note.notna()]
    for row in flipped.itertuples():
        first = first_gap[row.Index]
        colour = COLOURS["USA"] if first > 0 else COLOURS["CHN"]
        ax.plot(row.period_start, first, marker="D", ms=8, mfc="white", mec=colour, mew=1.6, zorder=6)
        ax.annotate(f"{row.period_start:%Y-%m}: {partner_label(row.first_release_leader_code)} ahead in the first "
                    f"release ({row.first_release_known:%Y-%m-%d}),\n{partner_label(row.leader_code)} ahead on "
                    "final figures", (row.period_start, first), xytext=(0.62, 0.95), textcoords="axes fraction",
                    fontsize=8.5, ha="right", va="top", arrowprops=ARROW, bbox=LABEL_BOX)  # fmt: skip
    for n, (row, text) in enumerate(lead_notes(led).items()):  # top right, one under the other
        ax.annotate(text, (row, 0), xytext=(0.985, 0.95 - 0.13 * n), textcoords="axes fraction", fontsize=8.5,
                    ha="right", va="top", arrowprops=ARROW, bbox=LABEL_BOX)  # fmt: skip
    last = led.iloc[-1]
    value = gap[led.index[-1]]
    ax.annotate(f"{last.period_start:%Y-%m}: {partner_label(last.leader_code)} ahead by {abs(value):.2f} bn\n"
                f"({last.us_release_type}, {last.us_vintage:%Y-%m-%d})", (last.period_start, value),
                xytext=(-16, 0 if value < 0 else -10), textcoords="offset points", fontsize=9, ha="right",
                va="bottom")  # fmt: skip
    top = max(gap.max(), first_gap.max(), 0)
    ax.set_ylim(top=top + 0.45 * (top - min(gap.min(), 0)) + 0.3)  # room for the labels
    ax.axhline(0, color="#333333", lw=0.8)
    ax.set_ylabel("US minus China, bn USD")
    ax.legend(handles=[Patch(color=COLOURS["USA"], label="US ahead"), Patch(color=COLOURS["CHN"], label="China ahead"),
                       Patch(facecolor="white", edgecolor="#555555", hatch="///", label="fragile lead"),
                       Line2D([], [], ls="", marker="D", mfc="white", mec="#555555", label="first release")],
              loc="lower left", ncols=4, frameon=False)  # fmt: skip
    return fig


def growth_contributions(con) -> Figure:
    """(a3) What drove export growth: each partner's contribution in the latest year to date, the part of HS 8542
    darker; and month by month, stacked, with total growth."""
    latest, monthly = data.growth_contributions(con)
    first = latest.iloc[0]
    span = (
        f"Jan–{date(2000, int(first.months), 1):%b} {first.period_start:%Y}"
        if first.frequency == "ytd"
        else (f"{first.period_start:%Y}")
    )
    fig = _figure(
        f"What drove Korea's export growth: {span} against a year earlier, by partner",
        "Percentage points of total growth: Δ exports to the partner ÷ total exports a year earlier.\n"
        f"Darker: {HS8542}, where product data reach",
        CUSTOMS
        + " (final statistics by partner and country; HS 8542 by destination); marts.export_growth_contributions",
        size=(11, 6.4),
    )
    left, right = fig.subplots(1, 2, width_ratios=[1, 1.35])
    bars = latest[latest.role != "world"].sort_values("contribution")
    labels = [partner_label(code) if code != "REST_OF_WORLD" else "rest of the world" for code in bars.partner_code]
    colours = [PARTNER_COLOURS.get(code, "#9e9e9e") for code in bars.partner_code]
    left.barh(labels, bars.contribution * 100, color=colours, alpha=0.55)
    chips = bars.hs8542_contribution.fillna(0) * 100
    left.barh(labels, chips, color=colours, alpha=1.0)
    for y, (total, part) in enumerate(zip(bars.contribution * 100, chips, strict=True)):
        text = f"{total:+.1f}" + (f" (HS 8542 {part:+.1f})" if part else "")
        left.annotate(text, (max(total, 0), y), xytext=(4, 0), textcoords="offset points", va="center", fontsize=8.5)
    left.axvline(0, color="#333333", lw=0.8)
    left.set_xlabel("percentage points")
    left.set_xlim(min(0, (bars.contribution * 100).min()) - 1, (bars.contribution * 100).max() * 1.45)
    left.set_title(f"{span}: total {100 * first.world_growth:+.1f} %")
    groups = [code for code in STACKED if code in set(monthly.partner_code)]
    partners = monthly[monthly.role != "world"]
    pivot = partners.pivot_table(index="period_start", columns="partner_code", values="contribution", aggfunc="sum")
    other = pivot.drop(columns=groups).sum(axis=1)
    positive, negative = pd.Series(0.0, index=pivot.index), pd.Series(0.0, index=pivot.index)
    for code, values in [*((code, pivot[code]) for code in groups), ("other", other)]:
        values = values.fillna(0) * 100
        base = positive.where(values >= 0, negative)
        label = partner_label(code) if code != "other" else "rest of the world and other partners"
        right.bar(pivot.index, values, bottom=base, width=24, color=PARTNER_COLOURS.get(code, "#bdbdbd"), label=label)
        positive, negative = positive + values.clip(lower=0), negative + values.clip(upper=0)
    world = monthly[monthly.role == "world"].set_index("period_start").world_growth * 100
    right.plot(world.index, world.values, color="#111111", lw=1.4, marker="o", ms=3, label="total growth")
    right.axhline(0, color="#333333", lw=0.8)
    top = max(positive.max(), world.max(), 0)
    right.set_ylim(top=top + 0.4 * (top - min(negative.min(), world.min(), 0)))  # room for the legend above the bars
    right.set_ylabel("% on a year earlier")
    right.set_title("Month by month: contributions stacked, total growth as the line")
    right.legend(loc="upper left", fontsize=8, frameon=False, ncols=2)
    return fig


def us_surplus(con) -> Figure:
    """(b) The surplus with the US by year against the US Treasury's watch threshold."""
    rows = data.us_balance(con)
    threshold = rows.watch_threshold_usd.dropna().iloc[-1] / 1e9
    fig = _figure(
        "Korea's trade surplus with the US, by year",
        f"Exports to the US (FOB) minus imports from the US (CIF), bn USD, against the US Treasury's "
        f"{threshold:,.0f} bn USD bilateral-surplus criterion",
        CUSTOMS + " (Korea Customs monthly sums; KOSIS annual before the monthly data)",
    )
    ax = fig.subplots()
    flags = rows.watch_flag.fillna("none")
    colours = ["#b71c1c" if "above threshold" in f else "#ef8a17" if "growing fast" in f else "#90a4ae" for f in flags]
    ax.bar(rows.year, rows.balance_usd / 1e9, color=colours, width=0.75)
    ax.axhline(threshold, color="#b71c1c", ls="--", lw=1.2)
    ax.text(rows.year.min() - 0.4, threshold + 1, f"watch threshold: {threshold:,.0f} bn USD a year",
            color="#b71c1c", fontsize=9)  # fmt: skip
    ax.axhline(0, color="#333333", lw=0.8)
    last = rows.iloc[-1]
    ax.annotate(f"{last.year}: {_bn(last.balance_usd)} bn", (last.year, last.balance_usd / 1e9),
                xytext=(-95, 0), textcoords="offset points", fontsize=9, fontweight=_bold(), va="center")  # fmt: skip
    flags = (("above threshold", "#b71c1c"), ("growing fast only (+20 % on a year earlier)", "#ef8a17"),
             ("not flagged", "#90a4ae"))  # fmt: skip
    handles = [Patch(color=colour, label=f"watch flag: {label}") for label, colour in flags]
    ax.legend(handles=handles, loc="upper left", frameon=False, bbox_to_anchor=(0, 0.93))
    ax.set_ylabel("bn USD")
    ax.margins(x=0.01)
    return fig


def sme_destinations(con) -> Figure:
    """(c) SME exports by destination, the latest years with destinations (MSS)."""
    rows = data.sme_destinations(con)
    world = rows[rows.destination_code == "WLD"].set_index("year").exports_usd
    rows = rows[rows.destination_code != "WLD"]
    years = sorted(rows.year.unique())
    order = rows[rows.year == years[-1]].sort_values("exports_usd").destination_code.tolist()
    order = [c for c in rows.destination_code.unique() if c not in order] + order
    totals = ", ".join(f"{_bn(world[y])} bn in {y}" for y in years if y in world)
    fig = _figure(
        "SMEs' exports by destination",
        f"SME exports, bn USD, and % of all SME exports of the same release (latest totals: {totals})",
        "Ministry of SMEs and Startups (MSS) releases via the Korea export-structure warehouse "
        "(marts.sme_participation, source MSS)",
        size=(11, 5.4),
    )
    ax = fig.subplots()
    height = 0.8 / len(years)
    blues = matplotlib.colormaps["Blues"]([0.4 + 0.45 * i / max(len(years) - 1, 1) for i in range(len(years))])
    for i, year in enumerate(years):
        part = rows[rows.year == year].set_index("destination_code").reindex(order)
        y = [k + (i - (len(years) - 1) / 2) * height for k in range(len(order))]
        ax.barh(y, part.exports_usd / 1e9, height=height * 0.92, color=blues[i], label=str(year))
        for yy, (usd, share) in zip(y, zip(part.exports_usd, part.share_of_firm_size, strict=True), strict=True):
            if pd.notna(usd):
                text = f" {_bn(usd)} bn" + (f" ({share * 100:.1f} %)" if pd.notna(share) else "")
                ax.text(usd / 1e9, yy, text, va="center", fontsize=9)
    ax.set_yticks(range(len(order)), [partner_label(c) for c in order])
    ax.set_xlabel("bn USD")
    ax.grid(axis="y", visible=False)
    ax.legend(loc="lower right", frameon=False, reverse=True)
    ax.set_xlim(0, rows.exports_usd.max() / 1e9 * 1.3)
    return fig


def _short(section: str, width: int = 34) -> str:
    """An HS section's name up to its first ';', on at most two lines."""
    return textwrap.fill(section.split(";")[0], width, max_lines=2, placeholder=" ...")


def product_label(group: str) -> str:
    """What a chart calls a product group of marts.product_composition: HS 8542 is integrated circuits, not the
    ministry's semiconductor total."""
    return PRODUCT_LABELS.get(group, group)


def us_products(con) -> Figure:
    """(d) Exports to the US by HS section (latest period with sections) and by product, by year."""
    sections, products = data.us_sections(con), data.us_products_by_year(con)
    first = sections.iloc[0]
    period = _period(first.period_start, first.frequency)
    top = sections.tail(9)
    rest = sections.iloc[:-9]
    labels = [_short(s) for s in top.product_group]
    values, shares = list(top.exports_usd), list(top.share_of_partner_exports)
    if len(rest):
        labels.insert(0, f"{len(rest)} other sections")
        values.insert(0, rest.exports_usd.sum())
        shares.insert(0, rest.share_of_partner_exports.sum())
    against = data.hs8542_against_ministry(con)
    fig = _figure(
        f"What Korea ships to the US: exports by HS section, {period}",
        f"bn USD and % of exports to the US ({_bn(first.partner_exports_usd)} bn, {first.partner_exports_basis}); "
        "right: single products (HS 4-digit or finer) by year.\nHS 8542 = integrated circuits, not the ministry's "
        "semiconductor total"
        + (
            f" ({against[0]}, all destinations: {_bn(against[1])} bn in HS 8542, {_bn(against[2])} bn of the "
            "ministry's semiconductors)"
            if against
            else ""
        ),
        CUSTOMS + " (HS chapters by partner; HS 8542 by destination, monthly sums); the ministry's semiconductors: "
        "marts.published_export_items (MTI)",
    )
    left, right = fig.subplots(1, 2, width_ratios=[2.3, 1])
    left.barh(range(len(values)), [v / 1e9 for v in values], color=COLOURS["USA"])
    for i, (usd, share) in enumerate(zip(values, shares, strict=True)):
        left.text(usd / 1e9, i, f" {_bn(usd)} ({share * 100:.1f} %)", va="center", fontsize=9)
    left.set_yticks(range(len(values)), labels)
    left.set_xlim(0, max(values) / 1e9 * 1.25)
    left.set_xlabel("bn USD")
    left.grid(axis="y", visible=False)
    left.set_title(f"By HS section, {period}")
    groups = products.product_group.unique()
    width = 0.8 / len(groups)
    for k, (group, part) in enumerate(products.groupby("product_group")):
        x = part.year + (k - (len(groups) - 1) / 2) * width
        bars = right.bar(x, part.exports_usd / 1e9, width=width * 0.9, color="#6a8fc4", label=product_label(group))
        right.bar_label(bars, [f"{s * 100:.1f} %" for s in part.share_of_partner_exports], fontsize=8)
    right.set_xticks(sorted(products.year.unique()))
    name = product_label(groups[0])
    right.set_title(
        textwrap.fill(f"{name[:1].upper()}{name[1:]}, by year", 30) if len(groups) == 1 else "Single products\nby year"
    )
    right.set_ylabel("bn USD (label: % of exports to the US)")
    if len(groups) > 1:
        right.legend(loc="upper left", frameon=False, fontsize=8)
    right.set_ylim(0, products.exports_usd.max() / 1e9 * 1.2)
    right.grid(axis="x", visible=False)
    return fig


def offset_skipped_note(con) -> str:
    """The years the surplus-offset chart skips and why ('' if none): its subtitle and the page's caption."""
    years = data.offset_skipped_years(con)
    if not years:
        return ""
    listed = ", ".join(map(str, years[:-1])) + (" and " if len(years) > 1 else "") + str(years[-1])
    return (
        f"Years skipped: {listed}, for which neither energy nor agri-food imports from the US are known (no "
        "published figure, no customs product data; never estimated)"
    )


def surplus_offset(con) -> Figure:
    """(e) Extra imports from the US needed to bring the surplus to the watch threshold, next to
    Korea's energy and agri-food imports from the US; the years without either import figure are named."""
    rows = data.offset_scenarios(con).reset_index(drop=True)
    skipped = offset_skipped_note(con)
    fig = _figure(
        "How much more would Korea have to buy from the US to bring its surplus to the watch threshold?",
        "bn USD: extra imports needed (everything else unchanged) next to what Korea already imports from the US; "
        "× = extra needed ÷ energy imports" + (f"\n{skipped}" if skipped else ""),
        "trade balance: " + CUSTOMS + "; energy and farm imports: KITA/MOTIE/MAFRA releases (crude oil + LNG, "
        "agri + livestock) by year, customs HS 27 and HS 01-24 for half-years",
    )
    ax = fig.subplots()
    series = (
        ("extra_imports_needed_usd", "extra imports needed to reach the threshold", COLOURS["extra"]),
        ("energy_imports_usd", "energy imports from the US", COLOURS["energy"]),
        ("agri_food_imports_usd", "agri-food imports from the US", COLOURS["agri"]),
    )
    width = 0.27
    for k, (column, label, colour) in enumerate(series):
        x = [i + (k - 1) * width for i in range(len(rows))]
        ax.bar(x, rows[column].fillna(0) / 1e9, width=width * 0.95, color=colour, label=label)
        for xx, value in zip(x, rows[column], strict=True):
            if pd.isna(value):
                ax.text(xx, 0.3, "n/a", ha="center", fontsize=7, color="#777777", rotation=90, va="bottom")
    for i, row in rows.iterrows():
        if pd.notna(row.extra_over_energy_imports) and row.extra_imports_needed_usd > 0:
            ax.text(i - width, row.extra_imports_needed_usd / 1e9 + 0.6, f"×{row.extra_over_energy_imports:,.1f}",
                    ha="center", fontsize=8.5, fontweight=_bold())  # fmt: skip
        elif row.extra_imports_needed_usd == 0:
            ax.text(i - width, 0.3, "0: below threshold", ha="center", fontsize=7, rotation=90, va="bottom")
    ax.set_xticks(range(len(rows)), [_period(f"{r.year}-01-01", r.frequency) for r in rows.itertuples()])
    years = list(rows[rows.frequency == "year"].year)
    for before, after in zip(years, years[1:], strict=False):  # a skipped year between two shown: said in place
        if after > before + 1:
            gap = ", ".join(str(y) for y in range(before + 1, after))
            ax.text(years.index(before) + 0.5, 0.3, f"{gap} skipped", ha="center", va="bottom", rotation=90,
                    fontsize=7, color="#777777")  # fmt: skip
    halves = rows.index[rows.frequency == "half"]
    if len(halves):
        ax.axvline(halves[0] - 0.5, color="#999999", lw=1, ls=":")
        ax.text(halves[0] - 0.45, ax.get_ylim()[1] * 0.97, "customs HS codes\n(compare only with each other)",
                fontsize=8, va="top", color="#555555")  # fmt: skip
    ax.set_ylabel("bn USD")
    ax.grid(axis="x", visible=False)
    ax.legend(loc="upper left", frameon=False)
    return fig


def note_claims(con) -> Figure:
    """(f) The claims of the Bank of Korea's Issue Note No. 2024-9 and whether the data reproduce them."""
    rows = data.claims(con)
    tally = rows.status.value_counts()
    summary = ", ".join(f"{tally.get(s, 0)} {s}" for s in STATUS_COLOURS)
    fig = _figure(
        "The Bank of Korea's Issue Note No. 2024-9: which claims does the data reproduce?",
        f"{len(rows)} claims: {summary}.\nWhere a claim is a figure: as published and as computed from the marts. "
        "How each is tested (our reading, not the note's words): the report page",
        "Bank of Korea, Issue Note No. 2024-9, and reports around it (seed note_claims); computed from the marts "
        "(marts.report_claims)",
        size=(11, 1.9 + 0.3 * len(rows)),
    )
    ax = fig.subplots()
    ax.set_axis_off()
    ax.set_xlim(0, 1)
    ax.set_ylim(len(rows) - 0.5, -1.2)
    for x, header in ((0.2, "claim (its source's words)"), (0.86, "published"), (1.0, "computed")):
        ax.text(x, -0.9, header, fontsize=9, fontweight=_bold(), ha="left" if x < 0.5 else "right", color="#444444")
    for i, row in enumerate(rows.itertuples()):
        chip = {"boxstyle": "round,pad=0.25", "fc": STATUS_COLOURS.get(row.status, "#555555"), "ec": "none"}
        ax.text(0.0, i, f" {row.status} ", fontsize=8, color="white", va="center", fontweight=_bold(), bbox=chip)
        text = row.claim if str(row.period) in row.claim else f"{row.claim} [{row.period}]"
        ax.text(0.2, i, textwrap.shorten(text, 86, placeholder=" ..."), fontsize=9, va="center")
        unit = {"percent": " %"}.get(row.unit, f" {row.unit}") if isinstance(row.unit, str) else ""
        if pd.notna(row.published_value):
            ax.text(0.86, i, f"{row.published_value:g}{unit}", fontsize=9, va="center", ha="right")
        if pd.notna(row.computed_value) and row.status != "not computable":
            computed = ("holds" if row.computed_value else "does not hold") if row.test == "holds" else (
                f"{row.computed_value:,.2f}{unit}")  # fmt: skip
            ax.text(1.0, i, computed, fontsize=9, va="center", ha="right", color=STATUS_COLOURS.get(row.status))
    return fig


@dataclass(frozen=True)
class Chart:
    name: str
    title: str
    draw: Callable[..., Figure]


CHARTS = {
    chart.name: chart
    for chart in (
        Chart("us_china_shares", "US and China shares of Korea's exports, crossovers marked", us_china_shares),
        Chart("us_china_lead", "Who led, month by month since 2023: exports to the US minus China", us_china_lead),
        Chart("growth_contributions", "What drove export growth: contributions by partner", growth_contributions),
        Chart("us_surplus", "The surplus with the US by year against the watch threshold", us_surplus),
        Chart("sme_destinations", "SME exports by destination (MSS)", sme_destinations),
        Chart("us_products", "Exports to the US by product group", us_products),
        Chart("surplus_offset", "Extra imports needed vs energy and agri-food imports from the US", surplus_offset),
        Chart("note_claims", "The claims of the note and their status", note_claims),
    )
}


@dataclass(frozen=True)
class Rendered:
    png: Path
    svg: Path
    preview_png: bytes  # a small PNG for Dagster's metadata


def draw(name: str, con) -> tuple[bytes, bytes, bytes]:
    """(PNG, SVG, small preview PNG) of chart `name`, in memory; raises data.MissingData if its rows are absent."""
    with matplotlib.rc_context(_style()):
        fig = CHARTS[name].draw(con)
        png, svg = io.BytesIO(), io.BytesIO()
        fig.savefig(png, format="png", dpi=DPI)
        fig.savefig(svg, format="svg", metadata={"Date": None})
    return png.getvalue(), svg.getvalue(), preview(png.getvalue())


def preview(png: bytes) -> bytes:
    """A small PNG of a chart's PNG (64 colours), for Dagster's metadata."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    scale = PREVIEW_DPI / DPI
    small = image.resize((round(image.width * scale), round(image.height * scale)), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    small.quantize(64, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE).save(
        out, format="png", optimize=True
    )
    return out.getvalue()


def write_atomically(path: Path, content: bytes) -> None:
    """Write to `.<name>.tmp` next to `path`, then rename over it: readers see the old or the new file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_bytes(content)
    os.replace(temporary, path)


def render(name: str, con, directory: Path) -> Rendered:
    """Draw chart `name` and write `<directory>/<name>.png` and `.svg`; on any error nothing is written."""
    png, svg, small = draw(name, con)
    paths = Rendered(directory / f"{name}.png", directory / f"{name}.svg", small)
    write_atomically(paths.png, png)
    write_atomically(paths.svg, svg)
    return paths
