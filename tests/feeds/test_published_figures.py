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


def parse(path):
    return parse_file(FEEDS["published_figures"], path)


def typed(name: str) -> list[dict]:
    with (TYPED / name).open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_converted_files_pass_the_suite(path):
    fmt, frame = parse(path)
    assert fmt.name == "published_figures_csv"
    evaluated, failures = validate_file("published_figures", frame, path.name)
    assert evaluated == 14 and failures == []


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


def test_moef_2024_annual_release_is_dated_the_day_it_came_out():
    """The report-context rows of MOEF's release of the 2024 figures (the korea.net press release) name only the
    year ("2025"): they carry the day New Daily reported the same release and figures, not 2025-12-31."""
    _, old = parse(SAMPLE / "published_figures" / "direct_investment.csv")
    cited = old[
        old.citation_url.str.endswith(
            "korea.net/Government/Briefing-Room/Press-Releases/view?articleId=6118&insttCode=A260122&type=N"
        )
    ]
    assert len(cited) == 8 and set(cited.release_date) == {"2025-03-14"}
    assert "2025-12-31" not in set(old.release_date)
    assert convert_script().release_date("2025 (MOEF annual release)") == "2025-12-31"  # what a year alone gives
