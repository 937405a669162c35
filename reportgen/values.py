"""Plausible, internally consistent table values for one report.

Every generated report satisfies the four consistency rules of report-schema.md;
breaking a rule on purpose is reportgen.rules' job. Scales follow real reports: most
departments receive no or a few applications, busy bodies hundreds or thousands.
"""

from __future__ import annotations

import random
from collections import Counter
from decimal import Decimal
from typing import Final

from parsers.keys import (
    APPLICANT_COLUMNS,
    OTHER_HANDLING_2019,
    OTHER_HANDLING_2021,
    RESULT_ROWS_COMMON,
    REVIEW_GROUPS,
)

Number = int | Decimal
Cells = dict[str, Number]

SCALES: Final = ("none", "small", "large")

# Relative frequency of each handling outcome in real reports.
_RESULT_WEIGHTS: Final[dict[str, float]] = {
    "granted": 40,
    "partly_granted": 8,
    "denied_state_secret": 0.3,
    "denied_prohibited": 0.8,
    "denied_security": 0.3,
    "denied_third_party": 1.5,
    "denied_internal": 1.5,
    "denied_process": 1.5,
    "denied_enforcement_file": 0.8,
    "denied_inquiry": 1.5,
    "unavailable_not_held": 20,
    "unavailable_needs_creation": 4,
    "unavailable_unclear": 2,
    "unprocessed_petition": 3,
    "unprocessed_repeat": 3,
    "unprocessed_publication": 0.4,
    "unprocessed_excessive": 0.5,
    "unprocessed_confirmation": 1,
    "other_handling": 4,
    "other_no_correction": 2,
    "other_fee_unpaid": 0.3,
    "other_misc": 2,
}

# Upper bound of new applications per applicant column, by scale.
_NEW_CEILING: Final[dict[str, dict[str, int]]] = {
    "small": {
        "natural_person": 30,
        "commercial": 5,
        "research": 1,
        "nonprofit": 1,
        "legal_services": 3,
        "other_org": 2,
    },
    "large": {
        "natural_person": 2400,
        "commercial": 260,
        "research": 12,
        "nonprofit": 20,
        "legal_services": 90,
        "other_org": 60,
    },
}


def result_rows(generation: str, mixed_other_handling: bool) -> tuple[str, ...]:
    """Result rows (without the total) a report of this shape prints."""
    single = generation != "2021" or mixed_other_handling
    return (*RESULT_ROWS_COMMON, *(OTHER_HANDLING_2019 if single else OTHER_HANDLING_2021))


def money(rng: random.Random, upper: int) -> Decimal:
    """A sum of money in 万元 with 0 to 4 decimal places, at most `upper`."""
    places = rng.choice((0, 1, 2, 2, 4))
    return Decimal(rng.randint(0, upper * 10**places)).scaleb(-places)


def pick_scale(rng: random.Random, busy: bool) -> str:
    """How many applications the body handles: none, a few, or many."""
    weights = (15, 45, 40) if busy else (50, 42, 8)
    return rng.choices(SCALES, weights=weights)[0]


# ---- Section 3 -----------------------------------------------------------------------


def application_cells(rng: random.Random, scale: str, rows: tuple[str, ...]) -> Cells:
    """Section 3 values: per applicant column a balanced flow, then row totals."""
    cells: Cells = {}
    for column in APPLICANT_COLUMNS:
        cells.update(_column_flow(rng, scale, column, rows))
    for row in ("new", "carried_over", *rows, "results_total", "carried_forward"):
        cells[f"applications.{row}.total"] = sum(int(cells[f"applications.{row}.{c}"]) for c in APPLICANT_COLUMNS)
    return cells


def _column_flow(rng: random.Random, scale: str, column: str, rows: tuple[str, ...]) -> Cells:
    """One applicant column: new + carried over = handled + carried forward."""
    new = _new_applications(rng, scale, column)
    carried_over = rng.randint(0, max(1, new // 12)) if new and rng.random() < 0.35 else 0
    pool = new + carried_over
    carried_forward = rng.randint(0, pool // 8) if pool >= 8 and rng.random() < 0.5 else 0
    handled = _spread(rng, pool - carried_forward, rows)
    cells: Cells = {f"applications.{row}.{column}": handled[row] for row in rows}
    cells[f"applications.new.{column}"] = new
    cells[f"applications.carried_over.{column}"] = carried_over
    cells[f"applications.results_total.{column}"] = pool - carried_forward
    cells[f"applications.carried_forward.{column}"] = carried_forward
    return cells


def _new_applications(rng: random.Random, scale: str, column: str) -> int:
    if scale == "none":
        return 0
    ceiling = _NEW_CEILING[scale][column]
    if column != "natural_person" and rng.random() < 0.55:
        return 0
    floor = ceiling // 20 if scale == "large" and column == "natural_person" else 0
    return rng.randint(floor, ceiling)


def _spread(rng: random.Random, count: int, rows: tuple[str, ...]) -> dict[str, int]:
    """Split `count` handled applications over the result rows by typical weights."""
    weights = [_RESULT_WEIGHTS[row] for row in rows]
    drawn = Counter(rng.choices(rows, weights=weights, k=count)) if count else Counter()
    return {row: drawn.get(row, 0) for row in rows}


# ---- Section 2 -----------------------------------------------------------------------


def proactive_cells(rng: random.Random, generation: str, scale: str, is_government: bool) -> Cells:
    """Section 2 values for either generation."""
    if generation == "2021":
        return _proactive_2021(rng, scale, is_government)
    return _proactive_2019(rng, scale, is_government)


def _document_counts_2021(rng: random.Random, can_issue: bool) -> tuple[int, int, int]:
    issued = rng.randint(0, 6) if can_issue and rng.random() < 0.6 else 0
    repealed = rng.randint(0, 4) if can_issue and rng.random() < 0.4 else 0
    in_force = issued + (rng.randint(0, 40) if can_issue else 0)
    return issued, repealed, in_force


def _decisions(rng: random.Random, scale: str, ceiling: int) -> int:
    if rng.random() < 0.4:
        return 0
    return rng.randint(0, ceiling * (40 if scale == "large" else 1))


def _proactive_2021(rng: random.Random, scale: str, is_government: bool) -> Cells:
    cells: Cells = {}
    for item, can_issue in (("rules", is_government), ("normative_documents", rng.random() < 0.5)):
        issued, repealed, in_force = _document_counts_2021(rng, can_issue)
        cells |= {
            f"proactive.{item}.issued": issued,
            f"proactive.{item}.repealed": repealed,
            f"proactive.{item}.in_force": in_force,
        }
    cells["proactive.licensing.decisions"] = _decisions(rng, scale, 60)
    cells["proactive.penalties.decisions"] = _decisions(rng, scale, 30)
    cells["proactive.coercive_measures.decisions"] = _decisions(rng, scale, 5)
    cells["proactive.fees.amount_10k_cny"] = money(rng, 900) if rng.random() < 0.3 else Decimal(0)
    return cells


def _items_change_decisions(rng: random.Random, scale: str, item: str, ceiling: int) -> Cells:
    prior = rng.randint(0, 40) if rng.random() < 0.6 else 0
    change = rng.randint(-min(prior, 6), 6) if rng.random() < 0.5 else 0
    return {
        f"proactive.{item}.prior_year_items": prior,
        f"proactive.{item}.change": change,
        f"proactive.{item}.decisions": _decisions(rng, scale, ceiling),
    }


def _proactive_2019(rng: random.Random, scale: str, is_government: bool) -> Cells:
    cells: Cells = {}
    for item, can_make in (("rules", is_government), ("normative_documents", rng.random() < 0.5)):
        made = rng.randint(0, 8) if can_make else 0
        published = rng.randint(0, made)
        cells |= {
            f"proactive.{item}.newly_made": made,
            f"proactive.{item}.newly_published": published,
            f"proactive.{item}.total_published": published + (rng.randint(0, 60) if can_make else 0),
        }
    cells |= _items_change_decisions(rng, scale, "licensing", 60)
    cells |= _items_change_decisions(rng, scale, "other_admin_services", 80)
    cells |= _items_change_decisions(rng, scale, "penalties", 30)
    cells |= _items_change_decisions(rng, scale, "coercive_measures", 5)
    fees_prior = rng.randint(0, 6) if rng.random() < 0.3 else 0
    cells["proactive.fees.prior_year_items"] = fees_prior
    cells["proactive.fees.change"] = rng.randint(-fees_prior, 2) if fees_prior else 0
    items = rng.randint(0, 25) if rng.random() < 0.4 else 0
    cells["proactive.procurement.items"] = items
    cells["proactive.procurement.amount"] = money(rng, 3000) if items else Decimal(0)
    return cells


# ---- Section 4 -----------------------------------------------------------------------


def review_cells(rng: random.Random, scale: str) -> Cells:
    """Section 4: each group's outcomes and their total."""
    ceiling = {"none": 0, "small": 2, "large": 12}[scale]
    cells: Cells = {}
    for group in REVIEW_GROUPS:
        active = ceiling and rng.random() < 0.5
        parts = {m: (rng.randint(0, ceiling) if active else 0) for m in ("upheld", "corrected", "other", "pending")}
        cells |= {f"review_litigation.{group}.{m}": v for m, v in parts.items()}
        cells[f"review_litigation.{group}.total"] = sum(parts.values())
    return cells
