"""The ground truth of one generated annual report.

A `ReportTruth` is what a perfect parser would read back from any rendering of the
report (HTML, PDF, DOCX): metadata, section texts and the table cells by canonical key.
Tests, the replica portal and the benchmark all start from one.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TypedDict

from parsers.keys import application_keys, proactive_keys, review_keys
from reportgen import blanks, prose, rules, values
from reportgen.agencies import AGENCIES, is_busy, region_of

__all__ = ["AGENCIES", "ReportTruth", "random_truth", "truth_keys"]


@dataclass(frozen=True)
class ReportTruth:
    """Everything a renderer prints and a parser should recover.

    `cells` maps canonical keys (parsers.keys) to ints, or Decimals for money; a cell
    the document leaves blank is absent. `broken_rules` names the consistency rules
    the values deliberately fail. `mixed_other_handling` marks a 2021 report whose
    section 3 prints the single 2019 （六）其他处理 row.
    """

    agency: str
    year: int
    generation: str
    title: str
    published_on: dt.date
    region: str | None
    sections: dict[str, str] = field(hash=False)
    cells: dict[str, int | Decimal] = field(hash=False)
    broken_rules: frozenset[str] = frozenset()
    mixed_other_handling: bool = False

    def expected_checks(self) -> dict[str, bool]:
        """Rule name -> ok, for the four rules: ok unless the rule is in broken_rules."""
        return {rule: rule not in self.broken_rules for rule in rules.RULES}


def generation_for_year(year: int) -> str:
    """The template a report of this year follows by default."""
    return "2019" if year <= 2020 else "2021"


def truth_keys(generation: str, mixed_other_handling: bool = False) -> tuple[str, ...]:
    """Every cell key a report of this shape prints (blank cells included)."""
    app_generation = "2019" if mixed_other_handling else generation
    return (*proactive_keys(generation), *application_keys(app_generation), *review_keys())


def report_title(agency: str, year: int) -> str:
    """The standard title, e.g. 中卫市财政局2023年政府信息公开工作年度报告."""
    return f"{agency}{year}年政府信息公开工作年度报告"


def _validate(generation: str, year: int, break_rule: str | None, mixed: bool) -> None:
    if generation not in ("2019", "2021"):
        raise ValueError(f"generation must be '2019' or '2021', not {generation!r}")
    if not 2008 <= year <= 2100:
        raise ValueError(f"implausible report year {year}")
    if break_rule is not None and break_rule not in rules.RULES:
        raise ValueError(f"unknown rule {break_rule!r}; expected one of {', '.join(rules.RULES)}")
    if mixed and generation != "2021":
        raise ValueError("mixed_other_handling only applies to generation 2021")


def _cells(rng: random.Random, agency: str, generation: str, mixed: bool) -> values.Cells:
    scale = values.pick_scale(rng, is_busy(agency))
    is_government = agency.endswith("人民政府") or agency.endswith("人民政府办公室")
    rows = values.result_rows(generation, mixed)
    cells = values.proactive_cells(rng, generation, scale, is_government)
    cells |= values.application_cells(rng, scale, rows)
    cells |= values.review_cells(rng, scale)
    return cells


def _check(cells: values.Cells, broken: frozenset[str]) -> None:
    """Guard: the generated values must fail exactly the rules we meant to break."""
    outcome = rules.evaluate(cells)
    wrong = [name for name, ok in outcome.items() if ok == (name in broken)]
    if wrong:
        raise AssertionError(f"generated cells violate the intended rule outcome for {wrong}")


class TruthOptions(TypedDict, total=False):
    """The knobs of `random_truth` its callers draw per report besides the template (left out: its defaults)."""

    break_rule: str | None
    blank_cells: bool
    mixed_other_handling: bool


def random_truth(
    rng: random.Random,
    *,
    generation: str | None = None,
    year: int | None = None,
    agency: str | None = None,
    break_rule: str | None = None,
    blank_cells: bool = False,
    mixed_other_handling: bool = False,
) -> ReportTruth:
    """A plausible report drawn from `rng`; all four rules hold unless `break_rule` names one."""
    year = year if year is not None else rng.randint(2019, 2025)
    generation = generation or generation_for_year(year)
    _validate(generation, year, break_rule, mixed_other_handling)
    agency = agency or rng.choice(AGENCIES)
    cells = _cells(rng, agency, generation, mixed_other_handling)
    if break_rule is not None:
        cells = rules.break_rule(cells, break_rule, rng)
    if blank_cells:
        cells = blanks.blank_out(cells, rng)
    broken = frozenset({break_rule} if break_rule else ())
    _check(cells, broken)
    order = truth_keys(generation, mixed_other_handling)
    cells = {key: cells[key] for key in order if key in cells}
    return ReportTruth(
        agency=agency,
        year=year,
        generation=generation,
        title=report_title(agency, year),
        published_on=dt.date(year + 1, 1, rng.randint(15, 29)),
        region=region_of(agency),
        sections=prose.section_texts(rng, agency, year, cells),
        cells=cells,
        broken_rules=broken,
        mixed_other_handling=mixed_other_handling,
    )
