"""Fixtures for the report generator tests: a few fixed truths of every shape."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest

from reportgen.truth import ReportTruth, random_truth

SHAPES = [
    {"year": 2019},
    {"year": 2020, "blank_cells": True},
    {"year": 2022},
    {"year": 2023, "mixed_other_handling": True},
    {"year": 2024, "agency": "中卫市人民政府办公室", "break_rule": "balance"},
    {"year": 2021, "generation": "2019", "blank_cells": True, "break_rule": "row_totals"},
]


@pytest.fixture(params=range(len(SHAPES)), ids=[str(s) for s in SHAPES])
def truth(request: pytest.FixtureRequest) -> ReportTruth:
    return random_truth(random.Random(100 + request.param), **SHAPES[request.param])


@pytest.fixture
def busy_truth() -> ReportTruth:
    """A report with thousands of applications, so separators and long numbers appear."""
    rng = random.Random(7)
    while True:
        candidate = random_truth(rng, agency="中卫市自然资源局", year=2023)
        if candidate.cells["applications.new.total"] >= 1000:
            return candidate


# ---- An independent statement of the four consistency rules, for assertions only.
# Written from report-schema.md without reusing reportgen.rules, so a bug there cannot
# hide itself. Absent cells count as zero.

APPLICANTS = ("natural_person", "commercial", "research", "nonprofit", "legal_services", "other_org")
COLUMNS = (*APPLICANTS, "total")
NOT_RESULTS = {"new", "carried_over", "results_total", "carried_forward"}


def _v(cells: dict[str, int | Decimal], key: str) -> int:
    return int(cells.get(key, 0))


def _app(cells: dict[str, int | Decimal], row: str, col: str) -> int:
    return _v(cells, f"applications.{row}.{col}")


def rule_outcomes(cells: dict[str, int | Decimal]) -> dict[str, bool]:
    """Rule name -> whether `cells` pass it, straight from report-schema.md."""
    rows = {k.split(".")[1] for k in cells if k.startswith("applications.")} | NOT_RESULTS
    results = [r for r in rows if r not in NOT_RESULTS]
    parts = ("upheld", "corrected", "other", "pending")
    return {
        "balance": all(
            _app(cells, "new", c) + _app(cells, "carried_over", c)
            == _app(cells, "results_total", c) + _app(cells, "carried_forward", c)
            for c in COLUMNS
        ),
        "row_totals": all(sum(_app(cells, r, c) for c in APPLICANTS) == _app(cells, r, "total") for r in rows),
        "results_total": all(
            sum(_app(cells, r, c) for r in results) == _app(cells, "results_total", c) for c in COLUMNS
        ),
        "review_totals": all(
            sum(_v(cells, f"review_litigation.{g}.{m}") for m in parts) == _v(cells, f"review_litigation.{g}.total")
            for g in ("review", "suit_direct", "suit_after_review")
        ),
    }
