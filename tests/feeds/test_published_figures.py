"""raw/published_figures: the converted report-context files parse, pass their suite, and keep the typed values."""

import csv

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
