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


def _shanghai_2019() -> dict[str, Number]:
    """Section 3 as a real Shanghai 2019 report prints it: every applicant column of every
    row, and the 总计 column only in its (七)总计 (results_total) row; consistent throughout."""
    from parsers.keys import application_keys

    cells: dict[str, Number] = {k: 0 for k in application_keys("2019") if not k.endswith(".total")}
    cells.update(
        {
            "applications.new.natural_person": 5,
            "applications.new.commercial": 2,
            "applications.granted.natural_person": 3,
            "applications.granted.commercial": 1,
            "applications.partly_granted.natural_person": 2,
            "applications.results_total.natural_person": 5,
            "applications.results_total.commercial": 1,
            "applications.results_total.total": 6,
            "applications.carried_forward.commercial": 1,
        }
    )
    return cells


def test_a_total_the_report_leaves_blank_is_unknown_not_zero() -> None:
    checks = by_rule(_shanghai_2019(), "2019")
    # Before, the blank totals counted as 0: "... = 7 ≠  = 0" in row_totals, balance and results_total.
    assert {rule: (c.ok, c.detail) for rule, c in checks.items() if rule != "review_totals"} == {
        "balance": (True, ""),
        "row_totals": (True, ""),  # the (七)总计 row, the one row that printed its total, adds up
        "results_total": (True, ""),  # per applicant column; the 总计 column's parts are unknown
    }


def test_the_printed_columns_of_a_report_without_totals_are_still_checked() -> None:
    cells = _shanghai_2019()
    cells["applications.granted.natural_person"] = 4  # one more granted than received
    checks = by_rule(cells, "2019")
    assert not checks["results_total"].ok and "natural_person" in checks["results_total"].detail
    assert "applications.results_total.natural_person" in checks["results_total"].detail
    assert "≠  = 0" not in checks["results_total"].detail


def test_a_blank_total_of_zeros_is_zero() -> None:
    # Parts printed as 0 and a blank 总计: the row says 0, and a printed total elsewhere is checked against it.
    cells: dict[str, Number] = {f"applications.new.{c}": 0 for c in APPLICANT_COLUMNS}
    cells |= {"applications.carried_over.total": 0, "applications.results_total.total": 1}
    balance = by_rule(cells)["balance"]
    assert not balance.ok and "applications.results_total.total = 1" in balance.detail
