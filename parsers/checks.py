"""The four consistency rules the template states or implies (report-schema.md).

A failed check is a finding about the report, never a reason to drop it. A blank
cell is absent, and in an equation it counts as 0 (reports routinely leave zero cells
blank). But a cell the parser knows was printed and could not be read (`unreadable`)
is unknown, not 0: every equation touching one is skipped. So is a blank total whose
printed parts do not add up to 0 (`blank_totals`): a row that prints 3 applications in
its applicant columns and leaves 总计 empty did not say its total is 0 (a real Shanghai
2019 report prints 总计 only in its (七)总计 row), while a row of blanks and zeros is zeros. An equation with no cell
at all is skipped too. A rule with nothing left to check is ok=True with detail
"not applicable: …", so "not failed" and "not checked" stay distinguishable without a
third state.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass

from parsers.keys import (
    APPLICANT_COLUMNS,
    APPLICATION_COLUMNS,
    APPLICATION_ROWS,
    OTHER_HANDLING_2019,
    OTHER_HANDLING_2021,
    RESULT_ROWS_COMMON,
    REVIEW_GROUPS,
    REVIEW_MEASURES,
)
from parsers.model import CheckResult, Number

RESULT_ROWS = (*RESULT_ROWS_COMMON, *OTHER_HANDLING_2019, *OTHER_HANDLING_2021)


@dataclass(frozen=True)
class Equation:
    """`left` keys summed must equal `right` keys summed; `name` says where."""

    name: str
    left: tuple[str, ...]
    right: tuple[str, ...]


def run_checks(
    cells: dict[str, Number], generation: str | None, *, unreadable: Collection[str] = frozenset()
) -> list[CheckResult]:
    """Apply the four rules to a report's cells, in rule order.

    `generation` is accepted for rules that differ by template; today all four read
    the rows a report actually printed (a mixed report's single (六) row included).
    `unreadable` names cells printed but not read for certain (see the module doc).
    """
    unknown = frozenset(unreadable) | blank_totals(cells)
    return [_check(rule, build(), cells, unknown, empty) for rule, build, empty in _RULES]


def balance_equations() -> list[Equation]:
    """Rule 1 (勾稽关系): new + carried_over == results_total + carried_forward, per column."""
    return [
        Equation(c, (_app("new", c), _app("carried_over", c)), (_app("results_total", c), _app("carried_forward", c)))
        for c in APPLICATION_COLUMNS
    ]


def row_total_equations() -> list[Equation]:
    """Rule 2: the six applicant columns of a row sum to its total."""
    return [Equation(r, tuple(_app(r, c) for c in APPLICANT_COLUMNS), (_app(r, "total"),)) for r in APPLICATION_ROWS]


def results_total_equations() -> list[Equation]:
    """Rule 3: results_total equals the sum of every result row printed, per column."""
    return [
        Equation(c, tuple(_app(r, c) for r in RESULT_ROWS), (_app("results_total", c),)) for c in APPLICATION_COLUMNS
    ]


def review_equations() -> list[Equation]:
    """Rule 4: upheld + corrected + other + pending == total in each group."""
    parts = REVIEW_MEASURES[:-1]
    return [
        Equation(g, tuple(f"review_litigation.{g}.{m}" for m in parts), (f"review_litigation.{g}.total",))
        for g in REVIEW_GROUPS
    ]


def total_parts() -> dict[str, tuple[str, ...]]:
    """Every total cell of the template -> the cells it sums (a row's, a column's, a group's)."""
    parts: dict[str, tuple[str, ...]] = {}
    for eq in (*row_total_equations(), *results_total_equations(), *review_equations()):
        (total,) = eq.right
        parts[total] = (*parts.get(total, ()), *eq.left)
    return parts


def blank_totals(cells: dict[str, Number]) -> frozenset[str]:
    """Totals left blank although their printed parts add up to more than 0: unknown, not 0.

    Parts that add up to 0 (or none printed) leave a blank total at 0: a blank row of zeros.
    """
    return frozenset(
        total
        for total, parts in _TOTAL_PARTS.items()
        if total not in cells and sum(cells.get(p, 0) for p in parts) != 0
    )


def _app(row: str, column: str) -> str:
    return f"applications.{row}.{column}"


def _check(
    rule: str, equations: Sequence[Equation], cells: dict[str, Number], unknown: frozenset[str], empty: str
) -> CheckResult:
    applicable = [e for e in equations if _applicable(e, cells, unknown)]
    if not applicable:
        return CheckResult(rule, True, f"not applicable: {empty}")
    failures = [f for e in applicable if (f := _failure(e, cells))]
    return CheckResult(rule, not failures, "; ".join(failures))


def _applicable(eq: Equation, cells: dict[str, Number], unknown: frozenset[str]) -> bool:
    keys = (*eq.left, *eq.right)
    return any(k in cells for k in keys) and not any(k in unknown for k in keys)


def _failure(eq: Equation, cells: dict[str, Number]) -> str | None:
    left = sum(cells.get(k, 0) for k in eq.left)
    right = sum(cells.get(k, 0) for k in eq.right)
    if left == right:
        return None
    sides = f"{_terms(eq.left, cells)} = {left} ≠ {_terms(eq.right, cells)} = {right}"
    return f"{eq.name}: {sides} (difference {left - right})"


def _terms(keys: tuple[str, ...], cells: dict[str, Number]) -> str:
    present = [k for k in keys if k in cells]
    return " + ".join(present) if len(present) <= 4 else f"sum of {len(present)} cells ({present[0]} …)"


_TOTAL_PARTS = total_parts()


def equation_cells(rule: str, name: str) -> tuple[str, ...]:
    """Every cell of the equation `name` of `rule`: a failed check's detail names at most four of them.

    Empty for a rule or name the checks do not have (a detail stored by an older parser).
    """
    return _EQUATION_CELLS.get((rule, name), ())


_RULES: tuple[tuple[str, Callable[[], list[Equation]], str], ...] = (
    ("balance", balance_equations, "no column of section 3 was read completely"),
    ("row_totals", row_total_equations, "no row of section 3 was read completely"),
    ("results_total", results_total_equations, "no column of section 3's results was read completely"),
    ("review_totals", review_equations, "no group of section 4 was read completely"),
)
_EQUATION_CELLS = {(rule, eq.name): (*eq.left, *eq.right) for rule, build, _ in _RULES for eq in build()}
