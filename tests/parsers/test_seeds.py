"""The five real seed reports, with every value written out from reading the text.

The expected cells were read by eye from tests/fixtures/seeds/*.txt. Helpers only
build the canonical keys (from parsers.keys); every number is a literal.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from parsers.dispatch import parse_path
from parsers.keys import APPLICATION_COLUMNS, APPLICATION_ROWS, PROACTIVE_2019, PROACTIVE_2021, REVIEW_MEASURES
from parsers.model import Number, ParsedReport

SEEDS = Path(__file__).parents[1] / "fixtures" / "seeds"


def proactive(item: str, **measures: Number) -> dict[str, Number]:
    assert item in PROACTIVE_2019 or item in PROACTIVE_2021
    return {f"proactive.{item}.{m}": v for m, v in measures.items()}


def apps(row: str, values: list[int]) -> dict[str, Number]:
    """A row printed with all seven columns."""
    assert row in APPLICATION_ROWS and len(values) == len(APPLICATION_COLUMNS)
    return {f"applications.{row}.{c}": v for c, v in zip(APPLICATION_COLUMNS, values, strict=True)}


def apps_total(row: str, total: int) -> dict[str, Number]:
    """A row of which only the 总计 column could be read."""
    assert row in APPLICATION_ROWS
    return {f"applications.{row}.total": total}


def review(group: str, values: list[int]) -> dict[str, Number]:
    return {f"review_litigation.{group}.{m}": v for m, v in zip(REVIEW_MEASURES, values, strict=True)}


ZEROS = [0, 0, 0, 0, 0, 0, 0]
RESULT_ROWS_2019 = [r for r in APPLICATION_ROWS if not r.startswith(("other_no", "other_fee", "other_misc"))]
RESULT_ROWS_2021 = [r for r in APPLICATION_ROWS if r != "other_handling"]


def parse_seed(prefix: str) -> ParsedReport:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return parse_path(path)


def check_states(report: ParsedReport) -> dict[str, str]:
    """rule -> 'ok' | 'failed' | 'n/a'."""
    return {
        c.rule: "n/a" if c.detail.startswith("not applicable") else ("ok" if c.ok else "failed") for c in report.checks
    }


# --- 000: 中卫市商务局 2019, 2019 template, every section-3 row printed only its total, no section 4.

SEED_000_CELLS: dict[str, Number] = {
    **proactive("rules", newly_made=0, newly_published=0, total_published=0),
    **proactive("normative_documents", newly_made=0, newly_published=0, total_published=0),
    **proactive("licensing", prior_year_items=5, change=0, decisions=10),
    **proactive("other_admin_services", prior_year_items=9, change=0, decisions=160),
    **proactive("penalties", prior_year_items=6, change=23, decisions=0),
    **proactive("coercive_measures", prior_year_items=0, change=0, decisions=0),
    **proactive("fees", prior_year_items=0, change=0),
    **proactive("procurement", items=0, amount=Decimal("0")),
    **{k: v for row in RESULT_ROWS_2019 for k, v in apps_total(row, 0).items()},
}


def test_seed_000_metadata_and_status() -> None:
    report = parse_seed("000")
    assert report.status == "partial"
    assert (report.agency, report.year, report.generation) == ("中卫市商务局", 2019, "2019")
    assert report.title == "中卫市商务局2019年度政府信息公开工作报告"
    assert report.published_on == dt.date(2020, 1, 15)
    assert report.region == "中卫市"
    assert any("行政复议" in w and "not found" in w for w in report.warnings)
    assert set(report.sections) == {"overview", "proactive", "applications", "problems", "other"}
    assert report.sections["problems"].startswith("今年以来")


def test_seed_000_cells() -> None:
    assert parse_seed("000").cells == SEED_000_CELLS


def test_seed_000_checks() -> None:
    states = check_states(parse_seed("000"))
    assert states == {"balance": "ok", "row_totals": "n/a", "results_total": "ok", "review_totals": "n/a"}


# --- 001: 石嘴山市商务局 2023, 2021 template, complete; section 4 printed only the 10 litigation cells.

SEED_001_CELLS: dict[str, Number] = {
    **proactive("rules", issued=0, repealed=0, in_force=0),
    **proactive("normative_documents", issued=1, repealed=4, in_force=8),
    **proactive("licensing", decisions=24),
    **proactive("penalties", decisions=0),
    **proactive("coercive_measures", decisions=0),
    **proactive("fees", amount_10k_cny=Decimal("0")),
    **{k: v for row in RESULT_ROWS_2021 for k, v in apps(row, ZEROS).items()},
    **review("suit_direct", [0, 0, 0, 0, 0]),
    **review("suit_after_review", [0, 0, 0, 0, 0]),
}


def test_seed_001() -> None:
    report = parse_seed("001")
    assert report.status == "ok"
    assert (report.agency, report.year, report.generation) == ("石嘴山市商务局", 2023, "2021")
    assert report.title == "石嘴山市商务局2023年政府信息公开工作年度报告"
    assert report.published_on is None
    assert report.cells == SEED_001_CELLS
    assert set(check_states(report).values()) == {"ok"}
    assert "信息处理费收取情况" in report.sections["other"]


# --- 002: no agency or year in the title, one cell per line, vertical 三/、/本/年/度 label.

SEED_002_CELLS: dict[str, Number] = {
    **proactive("rules", newly_made=0, newly_published=0, total_published=0),
    **proactive("normative_documents", newly_made=0, newly_published=0, total_published=0),
    **proactive("licensing", prior_year_items=0, change=0, decisions=0),
    **proactive("other_admin_services", prior_year_items=11, change=-4, decisions=0),
    **proactive("penalties", prior_year_items=0, change=0, decisions=0),
    **proactive("coercive_measures", prior_year_items=0, change=0, decisions=0),
    **proactive("fees", prior_year_items=0, change=0),
    **proactive("procurement", items=0, amount=Decimal("0")),
    **{k: v for row in RESULT_ROWS_2019 for k, v in apps(row, ZEROS).items()},
    **review("review", [0, 0, 0, 0, 0]),
    **review("suit_direct", [0, 0, 0, 0, 0]),
    **review("suit_after_review", [0, 0, 0, 0, 0]),
}


def test_seed_002() -> None:
    report = parse_seed("002")
    assert report.status == "ok"
    assert report.agency is None  # only 市商务局 in the body: never invented
    assert report.year == 2019  # from the opening 2019年，市商务局…
    assert report.generation == "2019"
    assert report.title == "政府信息公开工作年度报告"
    assert report.cells == SEED_002_CELLS
    assert set(check_states(report).values()) == {"ok"}
    assert report.sections["other"] == "无。"


def test_seed_002_hints_fill_only_the_gaps() -> None:
    (path,) = SEEDS.glob("002_*.txt")
    from parsers.model import Hints

    report = parse_path(path, hints=Hints(agency="安康市商务局", year=2019))
    assert report.agency == "安康市商务局"
    assert report.year == 2019


# --- 003: every section-3 value pushed into the last column; section 4 prints a single 0.

SEED_003_CELLS: dict[str, Number] = {
    **proactive("rules", issued=0, repealed=0, in_force=0),
    **proactive("normative_documents", issued=0, repealed=0, in_force=0),
    **proactive("licensing", decisions=0),
    **proactive("penalties", decisions=0),
    **proactive("coercive_measures", decisions=0),
    **proactive("fees", amount_10k_cny=Decimal("0")),
    **{k: v for row in RESULT_ROWS_2021 for k, v in apps_total(row, 0).items()},
    "review_litigation.suit_after_review.total": 0,
}


def test_seed_003() -> None:
    report = parse_seed("003")
    assert report.status == "partial"
    assert (report.agency, report.year, report.generation) == ("平罗县商务和投资促进局", 2021, "2021")
    assert report.cells == SEED_003_CELLS
    assert any("left missing" in w for w in report.warnings)
    assert check_states(report) == {"balance": "ok", "row_totals": "n/a", "results_total": "ok", "review_totals": "n/a"}


# --- 004: 2019 template for 2020; rows (一)-(四) lost a value (left missing), later rows have a surplus 0.

SEED_004_CELLS: dict[str, Number] = {
    **proactive("rules", newly_made=0, newly_published=0, total_published=0),
    **proactive("normative_documents", newly_made=0, newly_published=0, total_published=0),
    **proactive("licensing", prior_year_items=2, change=0, decisions=4),
    **proactive("other_admin_services", prior_year_items=4, change=-1, decisions=6),
    **proactive("penalties", prior_year_items=8, change=0, decisions=0),
    **proactive("coercive_measures", prior_year_items=0, change=0, decisions=0),
    **proactive("fees", prior_year_items=0, change=0),
    **proactive("procurement", items=0, amount=Decimal("0")),
    **apps("new", ZEROS),
    **apps("carried_over", ZEROS),
    **{
        k: v
        for row in (
            "unprocessed_petition",
            "unprocessed_repeat",
            "unprocessed_publication",
            "unprocessed_excessive",
            "unprocessed_confirmation",
            "other_handling",
            "results_total",
            "carried_forward",
        )
        for k, v in apps(row, ZEROS).items()
    },
    **review("suit_direct", [0, 0, 0, 0, 0]),
    **review("suit_after_review", [0, 0, 0, 0, 0]),
}


def test_seed_004() -> None:
    report = parse_seed("004")
    assert report.status == "partial"
    assert (report.agency, report.year, report.generation) == ("中卫市工业和信息化局", 2020, "2019")
    assert report.published_on == dt.date(2020, 1, 26)  # as printed, though before the year ended
    assert any("published_on" in w for w in report.warnings)
    assert report.cells == SEED_004_CELLS
    # Rule 3 needs rows (一)-(四), which were printed but not readable: unknown, not failed.
    assert check_states(report) == {"balance": "ok", "row_totals": "ok", "results_total": "n/a", "review_totals": "ok"}


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_seed_cells_have_template_types(prefix: str) -> None:
    report = parse_seed(prefix)
    for key, value in report.cells.items():
        expected = Decimal if key.endswith(("amount", "amount_10k_cny")) else int
        assert isinstance(value, expected), key
