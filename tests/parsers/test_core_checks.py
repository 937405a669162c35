"""The four consistency rules, and how a failure is reported."""

from __future__ import annotations

from parsers.checks import run_checks
from parsers.keys import APPLICANT_COLUMNS
from parsers.model import CheckResult, Number


def by_rule(cells: dict[str, Number], generation: str = "2021") -> dict[str, CheckResult]:
    return {c.rule: c for c in run_checks(cells, generation)}


def test_rule_order_and_names() -> None:
    assert [c.rule for c in run_checks({}, "2021")] == ["balance", "row_totals", "results_total", "review_totals"]


def test_nothing_to_check_is_not_applicable() -> None:
    for check in run_checks({}, "2019"):
        assert check.ok
        assert check.detail.startswith("not applicable: ")


def test_balance_failure_names_cells_and_difference() -> None:
    cells = {
        "applications.new.total": 5,
        "applications.carried_over.total": 1,
        "applications.results_total.total": 4,
        "applications.carried_forward.total": 0,
    }
    check = by_rule(cells)["balance"]
    assert not check.ok
    assert "applications.new.total" in check.detail
    assert "applications.results_total.total" in check.detail
    assert "difference 2" in check.detail


def test_balance_passes_when_equal() -> None:
    cells = {
        "applications.new.total": 3,
        "applications.results_total.total": 2,
        "applications.carried_forward.total": 1,
    }
    assert by_rule(cells)["balance"] == CheckResult("balance", True, "")


def test_row_totals() -> None:
    cells: dict[str, Number] = {f"applications.new.{c}": 1 for c in APPLICANT_COLUMNS}
    cells["applications.new.total"] = 6
    assert by_rule(cells)["row_totals"].ok
    cells["applications.new.total"] = 7
    check = by_rule(cells)["row_totals"]
    assert not check.ok
    assert "applications.new.total" in check.detail and "difference -1" in check.detail


def test_blank_cells_count_as_zero() -> None:
    cells = {"applications.granted.natural_person": 2, "applications.granted.total": 2}
    assert by_rule(cells)["row_totals"] == CheckResult("row_totals", True, "")
    lone_total = by_rule({"applications.granted.total": 2})["row_totals"]
    assert not lone_total.ok
    assert "difference -2" in lone_total.detail


def test_unreadable_cells_are_unknown_not_zero() -> None:
    cells = {"applications.granted.total": 2, "applications.new.total": 1}
    unreadable = {f"applications.granted.{c}" for c in APPLICANT_COLUMNS}
    checks = {c.rule: c for c in run_checks(cells, "2021", unreadable=unreadable)}
    assert not checks["row_totals"].ok  # the new row: 0 ≠ 1, its parts were blank
    assert "applications.granted" not in checks["row_totals"].detail
    only_granted = run_checks({"applications.granted.total": 2}, "2021", unreadable=unreadable)
    assert only_granted[1].ok and only_granted[1].detail.startswith("not applicable")


def test_results_total_includes_other_handling_rows_present() -> None:
    cells = {
        "applications.granted.total": 2,
        "applications.other_handling.total": 1,
        "applications.results_total.total": 3,
    }
    assert by_rule(cells, "2019")["results_total"].ok
    cells["applications.other_misc.total"] = 4
    check = by_rule(cells, "2019")["results_total"]
    assert not check.ok
    assert "applications.results_total.total" in check.detail
    assert "difference 4" in check.detail


def test_review_totals_per_group() -> None:
    cells = {
        "review_litigation.review.upheld": 1,
        "review_litigation.review.corrected": 1,
        "review_litigation.review.total": 2,
        "review_litigation.suit_direct.pending": 1,
        "review_litigation.suit_direct.total": 3,
    }
    check = by_rule(cells)["review_totals"]
    assert not check.ok
    assert "suit_direct" in check.detail and "review_litigation.suit_direct.total" in check.detail
    assert "review:" not in check.detail  # the passing group is not blamed
