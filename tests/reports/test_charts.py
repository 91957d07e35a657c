"""The charts, the text bars and the fonts, drawn from the session's published serving.duckdb."""

import json
import logging
import warnings

import duckdb
import pytest

from orchestration.reports import charts, data, fonts, inputs
from orchestration.reports.text import us_china_share_bars

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("name", list(charts.CHARTS))
def test_each_chart_draws_png_and_svg(serving, name, caplog):
    caplog.set_level(logging.WARNING, logger="matplotlib")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        png, svg, preview = charts.draw(name, serving)
    assert png.startswith(PNG_SIGNATURE) and len(png) > 20_000
    assert preview.startswith(PNG_SIGNATURE) and len(preview) < len(png)
    assert svg.lstrip().startswith(b"<?xml") and b"<svg" in svg and len(svg) > 20_000
    # every glyph found (Hangul included), no font fallback
    assert not [str(w.message) for w in caught if "missing from" in str(w.message) or "font" in str(w.message)]
    assert not [r.getMessage() for r in caplog.records if "findfont" in r.getMessage()]


def test_the_published_refresh_rendered_every_chart_and_the_page(published):
    reports = published / "reports"
    expected = {f"{name}.{ext}" for name in charts.CHARTS for ext in ("png", "svg", "inputs.json")} | {"index.html"}
    assert {p.name for p in reports.iterdir()} == expected  # no temporary files left behind


def test_korean_labels_use_a_font_with_hangul():
    font = fonts.hangul_font()
    assert font.family in {"NanumGothic", "Noto Sans CJK JP"}, font
    assert data.partner_label("USA") == "미국 US" and data.partner_label("CHN") == "중국 China"


def _empty_marts(serving, mart: str) -> duckdb.DuckDBPyConnection:
    """An in-memory database whose marts.`mart` has the published columns and no rows."""
    con = duckdb.connect()
    empty = serving.execute(f"SELECT * FROM marts.{mart} LIMIT 0").df()  # noqa: F841 (read by the SQL below)
    con.execute(f"CREATE SCHEMA marts; CREATE TABLE marts.{mart} AS SELECT * FROM empty")
    return con


def test_a_chart_without_its_mart_raises_a_clear_error():
    with pytest.raises(data.MissingData, match=r"marts\.trade_balance is not in the serving file"):
        charts.draw("us_surplus", duckdb.connect())


def test_a_chart_without_rows_raises_a_clear_error_and_keeps_the_previous_files(serving, tmp_path):
    rendered = charts.render("us_surplus", serving, tmp_path)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    with pytest.raises(data.MissingData, match=r"marts\.trade_balance has no rows for the US by year"):
        charts.render("us_surplus", _empty_marts(serving, "trade_balance"), tmp_path)
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before
    assert sorted(before) == sorted([rendered.png.name, rendered.svg.name])


def test_text_bars_show_the_latest_annual_shares(serving):
    text = us_china_share_bars(serving, years=3)
    year, us, cn = serving.execute("""
        SELECT year(period_start), max(share) FILTER (partner_code = 'USA'), max(share) FILTER (partner_code = 'CHN')
        FROM marts.destination_share WHERE frequency = 'year' AND partner_code IN ('USA', 'CHN')
        GROUP BY 1 HAVING count(share) = 2 ORDER BY 1 DESC LIMIT 1""").fetchone()
    lines = text.splitlines()
    assert len(lines) == 1 + 3 * 2, text
    assert lines[-2].startswith(f"  {year}  USA  {us * 100:5.1f} %  █") and lines[-1].strip().startswith("CHN")
    assert f"{cn * 100:5.1f} %" in lines[-1]
    assert lines[-1].count("█") == int(cn * 100)  # one block per percentage point


def test_without_the_pip_font_debian_noto_cjk_is_used(monkeypatch):
    if not (fonts.DEBIAN_NOTO_CJK / "NotoSansCJK-Regular.ttc").is_file():
        pytest.skip("fonts-noto-cjk not installed: apt-get install fonts-noto-cjk")
    monkeypatch.setattr(fonts.importlib.util, "find_spec", lambda name: None)
    assert [path.name for path in fonts.candidates()[0]] == ["NotoSansCJK-Regular.ttc", "NotoSansCJK-Bold.ttc"]


def _republished(serving, changed: str) -> duckdb.DuckDBPyConnection:
    """The published marts, as a new publication in which only mart `changed` has another checksum."""
    con = duckdb.connect()
    path = serving.execute("SELECT path FROM duckdb_databases() WHERE database_name = current_database()").fetchone()[0]
    con.execute(f"ATTACH '{path}' AS published (READ_ONLY); CREATE SCHEMA marts")
    for (name,) in con.execute("SELECT table_name FROM duckdb_tables() WHERE database_name = 'published'").fetchall():
        if name != "_publication":
            con.execute(f"CREATE VIEW marts.{name} AS SELECT * FROM published.marts.{name}")
    con.execute(
        """CREATE TABLE marts._publication AS SELECT publication_id, published_at, dagster_run_id, row_counts,
        json_merge_patch(checksums, json_object(?, 'another')) AS checksums FROM published.marts._publication""",
        [changed],
    )
    return con


def test_a_chart_is_drawn_again_only_when_a_mart_it_reads_or_its_code_changed(serving, tmp_path, monkeypatch):
    assert inputs.render("us_surplus", serving, tmp_path) is not None  # first time: drawn
    kept = json.loads((tmp_path / "us_surplus.inputs.json").read_text())
    assert set(kept["marts"]) == {"trade_balance"}, "the marts it read, recorded while drawing"
    assert inputs.render("us_surplus", serving, tmp_path) is None  # same publication: not drawn
    assert inputs.render("us_surplus", _republished(serving, "destination_share"), tmp_path) is None
    assert inputs.render("us_surplus", _republished(serving, "trade_balance"), tmp_path) is not None
    assert inputs.render("us_surplus", serving, tmp_path) is not None  # back to the published checksums
    with monkeypatch.context() as patch:
        patch.setattr(inputs, "code_digest", lambda: "other drawing code")
        assert inputs.render("us_surplus", serving, tmp_path) is not None
    assert inputs.render("us_surplus", serving, tmp_path) is not None  # the code of the files again
    assert inputs.render("us_surplus", serving, tmp_path) is None
    (tmp_path / "us_surplus.svg").unlink()
    assert inputs.render("us_surplus", serving, tmp_path) is not None  # a file is missing: drawn
