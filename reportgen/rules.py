"""The four consistency rules of report-schema.md, and how to break exactly one.

Absent (blank) cells count as zero here; the generator only ever blanks zeros, so a
rule's outcome does not depend on that choice.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from typing import Final

from parsers.keys import APPLICANT_COLUMNS, APPLICATION_COLUMNS, REVIEW_GROUPS
from reportgen.values import Cells

RULES: Final = ("balance", "row_totals", "results_total", "review_totals")


def _get(cells: Cells, key: str) -> int:
    return int(cells.get(key, 0))


def _application_rows(cells: Cells) -> list[str]:
    rows = {key.split(".")[1] for key in cells if key.startswith("applications.")}
    return sorted(rows)


def _result_rows(cells: Cells) -> list[str]:
    skip = {"new", "carried_over", "results_total", "carried_forward"}
    return [row for row in _application_rows(cells) if row not in skip]


def balance_ok(cells: Cells) -> bool:
    """Rule 1 (勾稽关系): new + carried_over == results_total + carried_forward per column."""
    return all(
        _get(cells, f"applications.new.{c}") + _get(cells, f"applications.carried_over.{c}")
        == _get(cells, f"applications.results_total.{c}") + _get(cells, f"applications.carried_forward.{c}")
        for c in APPLICATION_COLUMNS
    )


def row_totals_ok(cells: Cells) -> bool:
    """Rule 2: in every row the six applicant columns sum to the total."""
    return all(
        sum(_get(cells, f"applications.{row}.{c}") for c in APPLICANT_COLUMNS)
        == _get(cells, f"applications.{row}.total")
        for row in _application_rows(cells)
    )


def results_total_ok(cells: Cells) -> bool:
    """Rule 3: (七)总计 equals the sum of every result row, per column."""
    rows = _result_rows(cells)
    return all(
        sum(_get(cells, f"applications.{row}.{c}") for row in rows) == _get(cells, f"applications.results_total.{c}")
        for c in APPLICATION_COLUMNS
    )


def review_totals_ok(cells: Cells) -> bool:
    """Rule 4: upheld + corrected + other + pending == total in each section 4 group."""
    parts = ("upheld", "corrected", "other", "pending")
    return all(
        sum(_get(cells, f"review_litigation.{g}.{m}") for m in parts) == _get(cells, f"review_litigation.{g}.total")
        for g in REVIEW_GROUPS
    )


CHECKS: Final[dict[str, Callable[[Cells], bool]]] = {
    "balance": balance_ok,
    "row_totals": row_totals_ok,
    "results_total": results_total_ok,
    "review_totals": review_totals_ok,
}


def evaluate(cells: Cells) -> dict[str, bool]:
    """Rule name -> whether the cells pass it."""
    return {name: check(cells) for name, check in CHECKS.items()}


def _bump(cells: Cells, keys: Iterable[str], delta: int) -> None:
    for key in keys:
        cells[key] = _get(cells, key) + delta


def break_rule(cells: Cells, rule: str, rng: random.Random) -> Cells:
    """A copy of `cells` where exactly `rule` fails and the other three still hold.

    Each perturbation adds the same positive amount to cells chosen so that every
    other identity is left balanced (see the comments per rule).
    """
    if rule not in RULES:
        raise ValueError(f"unknown rule {rule!r}; expected one of {', '.join(RULES)}")
    out = dict(cells)
    delta = rng.randint(1, 3)
    column = rng.choice(APPLICANT_COLUMNS)
    if rule == "balance":
        # One row and its total move together: rows still add up, results untouched.
        row = rng.choice(("new", "carried_forward"))
        _bump(out, (f"applications.{row}.{column}", f"applications.{row}.total"), delta)
    elif rule == "row_totals":
        # new and carried_forward move by the same amount: each column still balances.
        _bump(out, (f"applications.new.{column}", f"applications.carried_forward.{column}"), delta)
    elif rule == "results_total":
        # A result row and its total move: rows add up, (七)总计 no longer matches.
        row = rng.choice(_result_rows(cells))
        _bump(out, (f"applications.{row}.{column}", f"applications.{row}.total"), delta)
    else:
        group = rng.choice(REVIEW_GROUPS)
        _bump(out, (f"review_litigation.{group}.total",), delta)
    return out
