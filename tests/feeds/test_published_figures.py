"""raw/published_figures: the converted report-context files parse, pass their suite, and keep the typed values."""

import csv
import importlib.util

import pytest

from orchestration.feeds import FEEDS
from orchestration.loading import parse_file
from orchestration.validation.gx_suites import validate_file
from tests.helpers import REPO, SAMPLE

FILES = sorted((SAMPLE / "published_figures").glob("*.csv"))
TYPED = REPO / "data" / "published" / "report_context"
RELEASES = REPO / "data" / "published" / "releases_2025_2026"


def parse(path):
    return parse_file(FEEDS["published_figures"], path)


def typed(name: str) -> list[dict]:
    with (TYPED / name).open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def typed_release(name: str) -> list[dict]:
    with (RELEASES / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_converted_files_pass_the_suite(path):
    fmt, frame = parse(path)
    assert fmt.name == "published_figures_csv"
    evaluated, failures = validate_file("published_figures", frame, path.name)
    assert evaluated == 15 and failures == []


def test_every_typed_row_is_converted_with_full_dollars():
    _, frame = parse(SAMPLE / "published_figures" / "trade_by_product.csv")
    source = typed("kr_us_energy_agri_imports_published.csv")
    assert len(frame) == len(source) == 165
    crude_2024 = frame[(frame.subject == "crude_oil") & (frame.year == "2024") & (frame.metric == "value")]
    assert crude_2024["value_number"].tolist() == [14_249e6] and crude_2024["unit"].tolist() == ["USD"]
    assert crude_2024["release_date"].tolist() == ["2025-02-24"]  # from "KITA (2025-02-24)"


def test_direct_investment_keeps_every_release_with_its_date():
    _, frame = parse(SAMPLE / "published_figures" / "direct_investment.csv")
    us_2022 = frame[
        (frame.subject == "overseas direct investment, gross")
        & (frame.partner_code == "USA")
        & (frame.year == "2022")
        & (frame.metric == "amount_invested")
    ]
    assert sorted(zip(us_2022.release_date, us_2022.value_number, strict=True)) == [
        ("2023-03-24", 27_770e6),
        ("2024-11-30", 29_500e6),
    ]
    assert (frame["citation_url"].str.startswith("http")).all()


def test_a_title_year_is_not_a_release_date_and_conflicts_are_flagged():
    _, trade = parse(SAMPLE / "published_figures" / "trade_by_product.csv")
    usitc = trade[trade.release.str.startswith("USITC Shifts")]
    assert len(usitc) and (usitc.release_date == "").all()  # "… Trade 2017" names the data year
    _, composition = parse(SAMPLE / "published_figures" / "export_composition.csv")
    computers = composition[(composition.subject == "computers") & (composition.year == "2021")]
    assert sorted(computers.value_number) == [5_460e6, 6_900e6] and computers.conflict_flag.all()


def convert_script():
    path = REPO / "scripts" / "convert_report_context.py"
    spec = importlib.util.spec_from_file_location("convert_report_context", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_shipped_files_are_what_the_script_makes(tmp_path, monkeypatch):
    script = convert_script()
    monkeypatch.chdir(REPO)
    monkeypatch.setattr(script, "OUT", tmp_path)
    script.main()
    for name in script.OUTPUTS:
        assert (tmp_path / name).read_bytes() == (SAMPLE / "published_figures" / name).read_bytes(), name


def test_moef_2024_annual_release_is_dated_the_day_it_came_out():
    """The report-context rows of MOEF's release of the 2024 figures (the korea.net press release) name only the
    year ("2025"): they carry the day the releases file gives for the same release and figures, not 2025-12-31."""
    _, old = parse(SAMPLE / "published_figures" / "direct_investment.csv")
    _, new = parse(SAMPLE / "published_figures" / "direct_investment_releases_2024_2025.csv")
    cited = old[
        old.citation_url.str.endswith(
            "korea.net/Government/Briefing-Room/Press-Releases/view?articleId=6118&insttCode=A260122&type=N"
        )
    ]
    assert len(cited) == 8 and set(cited.release_date) == {"2025-03-14"}
    assert "2025-12-31" not in set(old.release_date)
    for frame in (old, new):
        world_2024 = frame[(frame.partner_code == "WLD") & (frame.year == "2024") & (frame.period == "year")]
        assert list(zip(world_2024.value_number, world_2024.release_date, strict=True)) == [(63_950e6, "2025-03-14")]
    assert convert_script().release_date("2025 (MOEF annual release)") == "2025-12-31"  # what a year alone gives


def test_direct_investment_releases_keep_quarters_revisions_and_the_mislabel():
    _, frame = parse(SAMPLE / "published_figures" / "direct_investment_releases_2024_2025.csv")
    assert len(frame) == len(typed_release("overseas_direct_investment_releases.csv")) == 13
    q1 = frame[(frame.year == "2025") & (frame.period == "Q1")]
    assert sorted(zip(q1.release_date, q1.value_number, strict=True)) == [
        ("2025-09-19", 15_740e6),
        ("2025-12-23", 15_920e6),
    ]
    assert not q1.conflict_flag.any()  # a later quote is a revision, not a conflict
    north_america = frame[frame.partner_code == "NORTH_AMERICA"]
    assert north_america.partner_kind.tolist() == ["group"] and north_america.value_number.tolist() == [25_880e6]
    flagged = frame[frame.conflict_flag]
    assert flagged.partner_code.tolist() == ["USA"] and flagged.value_number.tolist() == [25_880e6]
    assert flagged.qualifier.str.startswith("mislabelled").all()


def test_export_items_keep_item_classification_and_what_a_period_covers():
    _, frame = parse(SAMPLE / "published_figures" / "export_items_2025_2026.csv")
    typed = typed_release("major_items_monthly_2025_2026.csv")
    assert len(frame) == sum(bool(r["value_usd_mn"]) + bool(r["yoy_pct"]) for r in typed) == 74
    pairs = set(zip(frame.subject, frame.breakdown, strict=True))
    assert pairs == {("semiconductors", "MTI"), ("semiconductors", "KCS"), ("automobiles", "MTI"),
                     ("passenger_cars_kcs", "KCS")}  # fmt: skip
    partial = {r["item"] for r in typed if r["note"].startswith("PARTIAL MONTH: Nov 1-25")}
    assert set(frame[frame.period == "2025-11-01..2025-11-25"].subject) == partial == {"semiconductors", "automobiles"}
    assert frame[frame.period == "2025-01..2025-11"].value_number.tolist() == [27_500e6, -14.0]
    lower = frame[frame.qualifier.str.startswith("lower bound")]
    assert lower[["period", "value_number"]].values.tolist() == [["2026-04", 31_900e6]]


def test_an_export_items_period_that_is_no_month_year_or_span_is_rejected():
    _, frame = parse(SAMPLE / "published_figures" / "export_items_2025_2026.csv")
    frame.loc[frame.index[3], "period"] = "Nov 1-25"
    frame.loc[frame.index[5], "period"] = "2025-13"
    _, failures = validate_file("published_figures", frame, "items.csv")
    [failure] = failures
    assert failure.rule.startswith("an export_items period is year, a month")
    assert failure.rows == frame.source_row.iloc[[3, 5]].tolist() and "Nov 1-25" in failure.detail
