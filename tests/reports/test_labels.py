"""Labels that cannot be misread (issue 22, point 3): every crossover labelled on the shares chart (either leader),
a missing month drawn as a gap, leader lines that cannot pass for data, fragility notes that say their cause for
either leader, the years the surplus-offset chart skips, the gross proxy as an upper bound, what HS 8542 is.

Expectations come from the marts' documented rules and the shipped data, computed here in SQL or Python; the
charts are checked through the functions that decide their labels and the artists they draw, never as pixels."""

from html import escape
from pathlib import Path

import duckdb
import matplotlib
import pandas as pd
import pytest
import yaml

from orchestration.reports import charts, data, headlines, page
from orchestration.reports.data import partner_label

DBT = Path(__file__).parents[2] / "dbt_project"
PARTNER_COLOURS = {matplotlib.colors.to_hex(c) for c in charts.PARTNER_COLOURS.values()}


def _copy(serving, marts: list[str]) -> duckdb.DuckDBPyConnection:
    """An in-memory database holding copies of the published `marts`, to change for one test."""
    con = duckdb.connect()
    con.execute("CREATE SCHEMA marts")
    for mart in marts:
        rows = serving.execute(f"SELECT * FROM marts.{mart}").df()  # noqa: F841 (read by the SQL below)
        con.execute(f"CREATE TABLE marts.{mart} AS SELECT * FROM rows")
    return con


def _models(name: str) -> list[dict]:
    """The model `name` of its YAML file (dbt_project/models/marts/<name>.yml)."""
    models = yaml.safe_load((DBT / "models" / "marts" / f"{name}.yml").read_text(encoding="utf-8"))["models"]
    return [model for model in models if model["name"] == name]


def _draw(con, name: str):
    with matplotlib.rc_context(charts._style()):
        return charts.CHARTS[name].draw(con)


def _last_24_months(serving) -> pd.Timestamp:
    (latest,) = serving.execute("""SELECT max(period_start) FROM marts.destination_share
        WHERE frequency = 'month' AND partner_code IN ('USA', 'CHN') AND share IS NOT NULL""").fetchone()
    return pd.Timestamp(latest) - pd.DateOffset(months=23)


# --- the shares chart -----------------------------------------------------------------------------------------


def test_every_crossover_of_the_last_24_months_has_a_label_whichever_partner_leads(serving):
    since = _last_24_months(serving)
    expected = serving.execute(
        """SELECT frequency, period_start, leader_code, status, release_note FROM marts.destination_crossovers
        WHERE leader_code IN ('USA', 'CHN') AND trailer_code IN ('USA', 'CHN') AND frequency IN ('month', 'quarter')
          AND period_start >= ?::DATE
          AND (status = 'current' OR release_note LIKE leader_code || ' ahead only in the first release%')""",
        [since.date()],
    ).fetchall()
    assert {leader for _, _, leader, _, _ in expected} == {"USA", "CHN"}  # the sample has both in the window
    crossings = pd.concat(
        [data.us_china_crossovers(serving), data.us_china_crossovers(serving, "removed by a later vintage")],
        ignore_index=True,
    )
    labels = charts.crossover_labels(crossings, since)
    labelled = {(r.frequency, pd.Timestamp(r.period_start), r.leader_code): r.text for r in labels.itertuples()}
    assert len(labelled) == len(labels) == len(expected)
    for frequency, start, leader, status, _ in expected:
        text = labelled[(frequency, pd.Timestamp(start), leader)]
        period = f"{start:%Y-%m}" if frequency == "month" else f"{start.year}-Q{(start.month - 1) // 3 + 1}"
        assert text.startswith(f"{period}: {partner_label(leader)} ahead"), text
        assert ("only in the first release" in text) == (status != "current"), text


def test_the_chart_draws_every_label_the_function_decides(serving):
    fig = _draw(serving, "us_china_shares")
    recent = fig.axes[1]
    drawn = {t.get_text() for t in recent.texts}
    crossings = pd.concat(
        [data.us_china_crossovers(serving), data.us_china_crossovers(serving, "removed by a later vintage")],
        ignore_index=True,
    )
    assert set(charts.crossover_labels(crossings, _last_24_months(serving)).text) <= drawn
    assert "every crossover labelled" in recent.get_title("left")


def test_labels_say_the_cause_of_a_fragile_crossover():
    row = pd.Series(
        {
            "frequency": "month",
            "period_start": pd.Timestamp("2025-11-01"),
            "leader_code": "CHN",
            "trailer_code": "USA",
            "margin_usd": 5e8,
            "previous_lead_start": pd.Timestamp("2025-09-01"),
            "periods_since": 2,
            "fragile": True,
            "revision_noise_usd": 1e8,
            "depends_on_derived": True,
            "status": "current",
            "release_note": None,
        }
    )
    text = charts.crossover_labels(pd.DataFrame([row]), pd.Timestamp("2025-01-01")).text.iloc[0]
    assert text.startswith(f"2025-11: {partner_label('CHN')} ahead") and "first since 2025-09" in text
    assert data.DERIVED in text and data.WITHIN_NOISE not in text  # the margin is 5 × the noise


def test_a_missing_month_is_a_gap_in_the_plotted_line_never_bridged(serving):
    con = _copy(serving, ["destination_share", "destination_crossovers"])
    con.execute("""DELETE FROM marts.destination_share
        WHERE partner_code = 'CHN' AND frequency = 'month' AND period_start = DATE '2025-11-01'""")
    shares = data.us_china_shares(con)
    series = charts.share_series(shares, "CHN", "month")
    assert pd.isna(series[pd.Timestamp("2025-11-01")])
    assert series[[pd.Timestamp("2025-10-01"), pd.Timestamp("2025-12-01")]].notna().all()
    assert charts.series_gaps(series) == [pd.Timestamp("2025-11-01")]
    assert charts.series_gaps(charts.share_series(shares, "USA", "month")) == []

    fig = _draw(con, "us_china_shares")
    china = matplotlib.colors.to_hex(charts.COLOURS["CHN"])
    for ax in fig.axes:
        (line,) = [
            ln for ln in ax.lines if ln.get_label() == f"{partner_label('CHN')}, monthly" and ln.get_color() == china
        ]
        y = pd.Series(line.get_ydata(), index=pd.DatetimeIndex(line.get_xdata()) - charts.MIDDLE["month"])
        assert pd.isna(y[pd.Timestamp("2025-11-01")]), "the line must break where the month has no value"
        assert y[pd.Timestamp("2025-10-01")] == pytest.approx(series[pd.Timestamp("2025-10-01")])
    assert any("no value" in t.get_text() and "2025-11" in t.get_text() for t in fig.texts)


def test_leader_lines_are_thin_dashed_grey_never_a_partners_colour(serving):
    for name in ("us_china_shares", "us_china_lead"):
        fig = _draw(serving, name)
        arrows = [t.arrow_patch for ax in fig.axes for t in ax.texts if getattr(t, "arrow_patch", None)]
        assert arrows, name
        for arrow in arrows:
            colour = matplotlib.colors.to_rgb(arrow.get_edgecolor())
            assert max(colour) - min(colour) < 0.02, f"{name}: a leader line is not grey: {colour}"  # neutral
            assert matplotlib.colors.to_hex(colour) not in PARTNER_COLOURS
            assert arrow.get_linewidth() <= 0.8 and arrow.get_linestyle() not in ("-", "solid"), name


def test_every_change_of_leader_in_us_china_lead_of_the_last_24_months_is_labelled(serving):
    """Independently of destination_crossovers: the months of marts.us_china_lead whose leader differs from the
    month before's (both months with a leader) are the monthly crossovers the lower panel labels."""
    since = _last_24_months(serving)
    months = serving.execute("""SELECT period_start, leader_code FROM marts.us_china_lead
        WHERE leader_code IN ('USA', 'CHN') ORDER BY period_start""").fetchall()
    changes = {
        (pd.Timestamp(start), leader)
        for (before, previous), (start, leader) in zip(months, months[1:], strict=False)
        if leader != previous
        and pd.Timestamp(before) == pd.Timestamp(start) - pd.DateOffset(months=1)
        and pd.Timestamp(start) >= since
    }
    assert {leader for _, leader in changes} == {"USA", "CHN"}
    labels = charts.crossover_labels(data.us_china_crossovers(serving), since)
    labelled = {(pd.Timestamp(r.period_start), r.leader_code) for r in labels.itertuples() if r.frequency == "month"}
    assert changes == labelled


# --- the lead chart and the headline --------------------------------------------------------------------------


def _expected_causes(row) -> list[str]:
    """us_china_lead's documented rule, cause by cause: a derived value, a margin within revision noise, else (still
    fragile) a margin within the rounding of the printed figures."""
    causes = [
        cause
        for cause, applies in (
            (data.DERIVED, row.us_value_basis != "published" or row.china_value_basis != "published"),
            (data.WITHIN_NOISE, row.margin_usd <= row.revision_noise_usd),
        )
        if applies
    ]
    return (causes or [data.WITHIN_ROUNDING]) if row.fragile else []


def test_the_lead_chart_notes_a_derived_lead_of_either_partner_with_its_cause(serving):
    con = _copy(serving, ["us_china_lead"])
    # one China lead and one US lead, neither fragile nor thin, made to rest on a derived value
    picked = {}
    for leader, column, basis in (("CHN", "china_value_basis", "derived from growth"),
                                  ("USA", "us_value_basis", "derived from a cumulative")):  # fmt: skip
        (start,) = con.execute(
            """SELECT max(period_start) FROM marts.us_china_lead WHERE leader_code = ? AND NOT fragile
              AND release_note IS NULL AND margin_usd > greatest(revision_noise_usd, 5e7)
              AND period_start >= DATE '2023-01-01'""",
            [leader],
        ).fetchone()
        con.execute(
            f"UPDATE marts.us_china_lead SET {column} = ?, fragile = true WHERE period_start = ?", [basis, start]
        )
        picked[leader] = pd.Timestamp(start)
    led = data.us_china_lead(con)
    for row in led.itertuples():
        assert data.lead_fragility_causes(row) == _expected_causes(row), row
    notes = charts.lead_notes(led[led.us_exports_usd.notna() & led.china_exports_usd.notna()])
    texts = {t.get_text() for t in _draw(con, "us_china_lead").axes[0].texts}
    for leader, start in picked.items():
        note = notes[start]
        assert note.startswith(f"{start:%Y-%m}: {partner_label(leader)} ahead by ") and note in texts
        assert note.endswith(f"fragile: {data.DERIVED}")  # margin above the noise: the derived value alone
    for start, note in notes.items():  # and every label says its own causes
        (row,) = [r for r in led.itertuples() if pd.Timestamp(r.period_start) == pd.Timestamp(start)]
        assert note.endswith("fragile: " + "; ".join(_expected_causes(row)))


def test_the_headline_names_the_cause_of_a_fragile_lead_for_either_leader(serving):
    con = _copy(serving, ["us_china_lead"])
    lead = headlines.latest_lead(con)
    (start, leader, margin, noise) = con.execute("""SELECT period_start, leader_code, margin_usd, revision_noise_usd
        FROM marts.us_china_lead WHERE leader_code IN ('USA', 'CHN') ORDER BY period_start DESC LIMIT 1""").fetchone()
    assert (lead.leader_code, lead.period_start) == (leader, start) and leader == "CHN"
    assert "fragile" not in lead.line()
    con.execute(
        """UPDATE marts.us_china_lead SET china_value_basis = 'derived from growth', fragile = true
        WHERE period_start = ?""",
        [start],
    )
    line = headlines.latest_lead(con).line()
    assert f"fragile ({data.DERIVED}{')' if margin > noise else '; '}" in line
    assert (data.WITHIN_NOISE in line) == (margin <= noise)
    # a lead fragile by its margin alone says which margin rule: revision noise, else the rounding
    con.execute("UPDATE marts.us_china_lead SET china_value_basis = 'published', revision_noise_usd = ? WHERE "
                "period_start = ?", [margin * 2, start])  # fmt: skip
    assert f"fragile ({data.WITHIN_NOISE})" in headlines.latest_lead(con).line()
    con.execute("UPDATE marts.us_china_lead SET revision_noise_usd = ? WHERE period_start = ?", [margin / 2, start])
    assert f"fragile ({data.WITHIN_ROUNDING})" in headlines.latest_lead(con).line()


# --- the page's crossovers table ------------------------------------------------------------------------------


def test_the_page_notes_a_china_lead_resting_on_a_derived_value_with_its_cause(serving):
    con = _copy(serving, ["destination_crossovers"])
    # the latest monthly crossover, China's in the sample, made to rest on a value derived from a growth rate
    leader, start, margin, noise = con.execute("""SELECT leader_code, period_start, margin_usd, revision_noise_usd
        FROM marts.destination_crossovers WHERE frequency = 'month' AND status = 'current'
          AND leader_code IN ('USA', 'CHN') AND trailer_code IN ('USA', 'CHN')
        ORDER BY period_start DESC LIMIT 1""").fetchone()
    assert leader == "CHN"
    con.execute(
        """UPDATE marts.destination_crossovers SET depends_on_derived = true, fragile = true
        WHERE frequency = 'month' AND status = 'current' AND leader_code = 'CHN' AND trailer_code = 'USA'
          AND period_start = ?""",
        [start],
    )
    html = page.crossovers_table(con)
    (china,) = [r for r in html.split("<tr>") if f"China ahead of the US since {start:%Y-%m}" in r]
    assert data.DERIVED in china
    assert (data.WITHIN_NOISE in china) == (margin <= noise)


def test_each_fragility_note_says_its_cause_for_either_leader(serving):
    rows = serving.execute("""SELECT * FROM marts.destination_crossovers
        WHERE leader_code IN ('USA', 'CHN') AND trailer_code IN ('USA', 'CHN')""").df()
    for row in rows.itertuples():
        causes = data.fragility_causes(row)
        # the mart's documented rule: fragile = removed by a later vintage, or derived, or margin within noise
        expected = [
            cause
            for cause, applies in (
                (data.DERIVED, bool(row.depends_on_derived)),
                (data.FIRST_RELEASE_ONLY, row.status != "current"),
                (data.WITHIN_NOISE, row.margin_usd <= row.revision_noise_usd),
            )
            if applies
        ]
        assert causes == expected, row
        assert bool(causes) == bool(row.fragile), row
    html = page.crossovers_table(serving)
    assert "only in a first release" in html
    # the US lead of 2024-12 is fragile for its margin alone: said so, and nothing else
    (december,) = [r for r in rows.itertuples() if r.frequency == "month" and f"{r.period_start:%Y-%m}" == "2024-12"]
    assert data.fragility_causes(december) == [data.WITHIN_NOISE]


# --- the surplus-offset chart ---------------------------------------------------------------------------------


def test_the_surplus_offset_chart_names_the_years_it_skips_and_why(serving):
    rows = serving.execute("""SELECT year, energy_imports_usd, agri_food_imports_usd FROM marts.surplus_offset_scenarios
        WHERE partner_code = 'USA' AND target = 'watch threshold' AND frequency = 'year' ORDER BY year""").fetchall()
    shown = [year for year, energy, agri in rows if energy is not None or agri is not None]
    skipped = [year for year, energy, agri in rows if year > shown[0] and energy is None and agri is None]
    assert {2019, 2022} <= set(skipped)
    note = charts.offset_skipped_note(serving)
    assert note.startswith("Years skipped: ") and "neither energy nor agri-food imports" in note
    listed = note.split(":")[1].split(", for which")[0].replace(" and ", ", ")
    assert [int(y) for y in listed.split(",")] == skipped
    fig = _draw(serving, "surplus_offset")
    assert any(note in t.get_text() for t in fig.texts)  # the subtitle
    in_place = {t.get_text() for t in fig.axes[0].texts if t.get_text().endswith(" skipped")}
    assert {"2019 skipped", "2022 skipped"} <= in_place
    assert page.chart_notes(serving)["surplus_offset"] == note


# --- the published page ---------------------------------------------------------------------------------------


def test_the_page_says_the_gross_proxy_is_an_upper_bound_and_what_hs8542_is(published, serving):
    html = (published / "reports" / "index.html").read_text(encoding="utf-8")
    (qualifier,) = serving.execute("""SELECT DISTINCT qualifier FROM marts.value_added_exports
        WHERE institute = 'computed (this warehouse)' AND channel = 'China → USA'""").fetchone()
    assert qualifier == "upper bound: if every export to China were re-exported"
    assert qualifier in html and 'class="indirect"' in html
    assert charts.HS8542 == "integrated circuits (HS 8542), not the ministry's semiconductor total"
    assert escape(charts.HS8542) in html  # what drove it
    assert html.count(escape(charts.HS8542[1:])) >= 3  # and the two charts' captions


def test_hs8542_charts_and_column_descriptions_say_integrated_circuits_not_the_ministrys_total(serving):
    for name in ("growth_contributions", "us_products"):
        fig = _draw(serving, name)
        texts = [t.get_text() for t in fig.texts] + [a.get_title("left") for a in fig.axes]
        words = " ".join(texts).replace("\n", " ")
        assert "not the ministry's semiconductor total" in words and "integrated circuits" in words.lower(), name
        assert "chips" not in words, name
    (contributions,) = _models("export_growth_contributions")
    hs8542 = [c for c in contributions["columns"] if c["name"].startswith("hs8542_")]
    assert len(hs8542) == 3
    assert all(charts.HS8542 in c["description"] for c in hs8542)
    (composition,) = _models("product_composition")
    (group,) = [c for c in composition["columns"] if c["name"] == "product_group"]
    assert charts.HS8542 in group["description"]
